// Reads GeoJSON features from a file: GeoJSON-seq (one feature per line: .geojsonl/.geojsons/.ndjson,
// streamed line by line) or a FeatureCollection (.geojson/.json, parsed whole).
import { createReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { createInterface } from 'node:readline'

export interface SourceItem {
  index: number
  feature?: { type?: unknown; id?: unknown; properties?: Record<string, unknown> | null; geometry?: unknown }
  /** set when the item could not be parsed as a feature */
  error?: string
}

const MAX_WHOLE_FILE_BYTES = 512 * 1024 * 1024

export const isSequenceFile = (file: string) => /\.(geojsonl|geojsons|geojsonseq|ndjson|jsonl)$/i.test(file)

export async function* readFeatureFile(file: string): AsyncGenerator<SourceItem> {
  if (isSequenceFile(file)) {
    yield* readSequence(file)
    return
  }
  const { size } = await stat(file)
  if (size > MAX_WHOLE_FILE_BYTES) {
    throw new Error(`${file} is ${Math.round(size / 1e6)} MB; convert it to GeoJSON-seq (.geojsonl) to stream it`)
  }
  yield* featuresOf(await readFile(file, 'utf8'))
}

export function* featuresOf(text: string): Generator<SourceItem> {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    yield { index: 0, error: `malformed JSON: ${(e as Error).message}` }
    return
  }
  const d = doc as { type?: unknown; features?: unknown }
  if (d?.type === 'Feature') {
    yield { index: 0, feature: d as SourceItem['feature'] }
    return
  }
  if (d?.type !== 'FeatureCollection' || !Array.isArray(d.features)) {
    yield { index: 0, error: 'not a GeoJSON FeatureCollection or Feature' }
    return
  }
  for (let i = 0; i < d.features.length; i++) {
    const f = d.features[i] as SourceItem['feature']
    yield f?.type === 'Feature' ? { index: i, feature: f } : { index: i, error: 'not a GeoJSON Feature' }
  }
}

async function* readSequence(file: string): AsyncGenerator<SourceItem> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })
  let index = 0
  for await (const raw of lines) {
    const line = raw.replace(/^\x1e/, '').trim()
    if (!line) continue
    try {
      const f = JSON.parse(line) as SourceItem['feature']
      yield f?.type === 'Feature' ? { index, feature: f } : { index, error: 'not a GeoJSON Feature' }
    } catch (e) {
      yield { index, error: `malformed JSON on this line: ${(e as Error).message}` }
    }
    index++
  }
}
