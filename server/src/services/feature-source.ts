// Reads GeoJSON features from a byte stream (a file, an HTTP request body) without ever holding more
// than one feature in memory: a FeatureCollection (its "features" array is walked element by element),
// a single Feature, or GeoJSON-seq (one feature per line / RFC 8142 record-separated, or simply
// whitespace-separated objects). Which of these it is, is told by the bytes, not by a file name.
//
// The scanner only finds where each top-level value (or each element of "features") begins and ends —
// tracking strings, escapes and bracket depth byte by byte, which is safe in UTF-8 because every
// structural character is ASCII — and JSON.parse does the rest, one feature at a time. A feature that
// does not parse is reported with its byte offset and the stream goes on; a stream whose structure
// breaks (brackets that do not match, input ending inside a value) ends with an error item that says
// at which byte.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { Readable } from 'node:stream'

export interface SourceItem {
  index: number
  feature?: { type?: unknown; id?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown }
  /** set when the item could not be parsed as a feature */
  error?: string
  /** byte offset of the item in the stream */
  offset?: number
}

/** Byte progress of a stream being read, for progress bars (ETA from bytes read / total). */
export interface ByteProgress {
  bytesRead: number
  totalBytes: number | null
}

export const isSequenceFile = (file: string) => /\.(geojsonl|geojsons|geojsonseq|ndjson|jsonl)$/i.test(file)

/** Features of a file, streamed; `progress` is updated as bytes are read. */
export async function* readFeatureFile(file: string, progress?: ByteProgress): AsyncGenerator<SourceItem> {
  if (progress) progress.totalBytes = (await stat(file)).size
  yield* readFeatureStream(createReadStream(file, { highWaterMark: 1 << 20 }), progress)
}

/** Parses a whole text (tests, small inputs): the same scanner as the streams. */
export function* featuresOf(text: string): Generator<SourceItem> {
  const scanner = new FeatureScanner()
  const out: SourceItem[] = []
  scanner.push(Buffer.from(text, 'utf8'), out)
  scanner.end(out)
  yield* out
}

export async function* readFeatureStream(
  stream: Readable | AsyncIterable<Buffer | string>,
  progress?: ByteProgress,
): AsyncGenerator<SourceItem> {
  const scanner = new FeatureScanner()
  const out: SourceItem[] = []
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    if (progress) progress.bytesRead += buf.length
    scanner.push(buf, out)
    if (out.length > 0) {
      yield* out
      out.length = 0
    }
    if (scanner.failed) break
  }
  scanner.end(out)
  yield* out
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const COMMA = 0x2c
const RS = 0x1e
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === RS

/**
 * Splits a byte stream into feature texts. Modes:
 *  - between top-level values: a value starts at `{` (anything else is an error);
 *  - inside a top-level object, captured: it is emitted whole at its end (a Feature, a seq record),
 *    unless its key "features" turns out to hold an array: then capture stops and each element of that
 *    array is captured and emitted instead (a FeatureCollection, of any size).
 */
class FeatureScanner {
  failed = false
  private offset = 0 // bytes before the current chunk
  private depth = 0
  private inString = false
  private escaped = false
  // the top-level value
  private topStart = -1
  private topParts: Buffer[] = []
  private capturingTop = false
  // key tracking at depth 1 (to recognise "features")
  private keyParts: Buffer[] | null = null
  private keyStartInChunk = -1
  private lastKey: string | null = null
  private expectKey = false
  // inside the features array (depth 2) and its current element
  private inFeatures = false
  private featuresDone = false
  private elemStart = -1
  private elemParts: Buffer[] = []
  private elemStartInChunk = -1
  private topStartInChunk = -1
  private skippingScalar = false
  private index = 0
  private sawTop = false

  push(chunk: Buffer, out: SourceItem[]) {
    if (this.failed) return
    // a UTF-8 byte order mark at the very start is not content
    if (this.offset === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      chunk = chunk.subarray(3)
      this.offset = 3
    }
    const n = chunk.length
    if (this.elemStart >= 0) this.elemStartInChunk = 0
    if (this.capturingTop) this.topStartInChunk = 0
    if (this.keyParts) this.keyStartInChunk = 0
    for (let i = 0; i < n; i++) {
      const b = chunk[i]!
      if (this.inString) {
        if (this.escaped) this.escaped = false
        else if (b === BACKSLASH) this.escaped = true
        else if (b === QUOTE) {
          this.inString = false
          if (this.keyParts) {
            this.keyParts.push(chunk.subarray(this.keyStartInChunk, i))
            const key = Buffer.concat(this.keyParts)
            this.lastKey = key.length <= 64 ? key.toString('utf8') : null
            this.keyParts = null
          }
        } else if (b !== QUOTE) {
          // fast path: jump to the next quote or backslash
          let j = i + 1
          while (j < n) {
            const c = chunk[j]!
            if (c === QUOTE || c === BACKSLASH) break
            j++
          }
          i = j - 1
        }
        continue
      }
      if (b === QUOTE) {
        this.inString = true
        if (this.depth === 2 && this.inFeatures && this.elemStart < 0 && !this.skippingScalar) {
          this.skippingScalar = true
          out.push({ index: this.index++, error: 'not a GeoJSON Feature', offset: this.offset + i })
        }
        if (this.depth === 1 && this.expectKey) {
          this.keyParts = []
          this.keyStartInChunk = i + 1
          this.expectKey = false
        }
        continue
      }
      if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        if (this.depth === 0) {
          if (b !== OPEN_BRACE) return this.fail(out, i, 'expected a GeoJSON object ("{")')
          this.topStart = this.offset + i
          this.topStartInChunk = i
          this.topParts = []
          this.capturingTop = true
          this.inFeatures = false
          this.featuresDone = false
          this.lastKey = null
          this.sawTop = true
        } else if (this.depth === 1 && b === OPEN_BRACKET && this.lastKey === 'features' && !this.featuresDone) {
          // a FeatureCollection: stream its elements instead of the whole object
          this.capturingTop = false
          this.topParts = []
          this.inFeatures = true
        } else if (this.depth === 2 && this.inFeatures && !this.skippingScalar) {
          // an element: captured whole (an array element is captured too, and reported as not a feature)
          this.elemStart = this.offset + i
          this.elemStartInChunk = i
          this.elemParts = []
        }
        this.depth++
        if (this.depth === 1) this.expectKey = true
        continue
      }
      if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (this.depth === 0) return this.fail(out, i, `unexpected "${String.fromCharCode(b)}"`)
        this.depth--
        if (this.depth === 2 && this.inFeatures && this.elemStart >= 0) {
          this.elemParts.push(chunk.subarray(this.elemStartInChunk, i + 1))
          this.emit(out, Buffer.concat(this.elemParts), this.elemStart)
          this.elemStart = -1
          this.elemParts = []
        } else if (this.depth === 1 && this.inFeatures) {
          this.skippingScalar = false
          this.inFeatures = false
          this.featuresDone = true
        } else if (this.depth === 0) {
          if (this.capturingTop) {
            this.topParts.push(chunk.subarray(this.topStartInChunk, i + 1))
            this.emit(out, Buffer.concat(this.topParts), this.topStart)
          }
          this.capturingTop = false
          this.topParts = []
          this.topStart = -1
        }
        continue
      }
      if (this.depth === 1) {
        if (b === COMMA) this.expectKey = true
        continue
      }
      if (this.depth === 0 && !isSpace(b))
        return this.fail(out, i, `unexpected "${String.fromCharCode(b)}" between GeoJSON objects`)
      if (this.depth === 2 && this.inFeatures && this.elemStart < 0) {
        if (b === COMMA) this.skippingScalar = false
        else if (!isSpace(b) && !this.skippingScalar) {
          // a scalar element of "features" (null, a number, true): not a feature; skipped to the next comma
          this.skippingScalar = true
          out.push({ index: this.index++, error: 'not a GeoJSON Feature', offset: this.offset + i })
        }
      }
    }
    // keep the unfinished pieces of this chunk
    if (this.elemStart >= 0) this.elemParts.push(chunk.subarray(this.elemStartInChunk))
    if (this.capturingTop) this.topParts.push(chunk.subarray(this.topStartInChunk))
    if (this.keyParts) this.keyParts.push(chunk.subarray(this.keyStartInChunk))
    this.offset += n
  }

  end(out: SourceItem[]) {
    if (this.failed) return
    if (this.depth !== 0 || this.inString) {
      this.fail(
        out,
        0,
        `input ends inside ${this.inFeatures ? 'the features array' : 'a GeoJSON object'} (depth ${this.depth}${this.inString ? ', in a string' : ''})`,
        this.offset,
      )
      return
    }
    if (!this.sawTop) out.push({ index: this.index++, error: 'no GeoJSON object in the input', offset: 0 })
  }

  private emit(out: SourceItem[], bytes: Buffer, offset: number) {
    const index = this.index++
    let value: unknown
    try {
      value = JSON.parse(bytes.toString('utf8'))
    } catch (e) {
      out.push({ index, error: `malformed JSON at byte ${offset}: ${(e as Error).message}`, offset })
      return
    }
    const f = value as SourceItem['feature'] & { features?: unknown }
    if (f?.type === 'Feature') out.push({ index, feature: f, offset })
    else if (f?.type === 'FeatureCollection')
      out.push({ index, error: `a FeatureCollection without a "features" array at byte ${offset}`, offset })
    else out.push({ index, error: 'not a GeoJSON Feature', offset })
  }

  private fail(out: SourceItem[], i: number, message: string, at = this.offset + i) {
    this.failed = true
    out.push({ index: this.index++, error: `malformed JSON at byte ${at}: ${message}`, offset: at })
  }
}
