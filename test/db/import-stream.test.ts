// Streaming import: the feature scanner gives the same features however the bytes are chunked, says
// where a malformed stream breaks, and a streamed import writes exactly what the whole-text path
// writes (all or nothing).
import { Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import type { Database } from '../../server/src/db/database.js'
import { SYSTEM_ACTOR } from '../../server/src/db/repositories/audit.repository.js'
import { featuresOf, readFeatureStream, type SourceItem } from '../../server/src/services/feature-source.js'
import { DEFAULT_PROPERTIES, importFeatures, type ImportKind } from '../../server/src/services/import.service.js'
import { testDatabase } from '../helpers/database.js'
import { box } from '../helpers/factories.js'

/** The bytes in chunks of 1..maxChunk bytes (deterministic), splitting UTF-8 characters too. */
function chunked(text: string, maxChunk: number): Readable {
  const bytes = Buffer.from(text, 'utf8')
  const chunks: Buffer[] = []
  let seed = 7
  for (let i = 0; i < bytes.length;) {
    seed = (seed * 48271) % 2147483647
    const n = 1 + (seed % maxChunk)
    chunks.push(bytes.subarray(i, i + n))
    i += n
  }
  return Readable.from(chunks)
}

async function collect(source: AsyncIterable<SourceItem> | Iterable<SourceItem>) {
  const out: SourceItem[] = []
  for await (const item of source) out.push(item)
  return out
}

const parcel = (id: string, lon: number, lat: number, extra: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: { externalId: id, landUse: 'farmland', ownerName: '张三 "大户" \\ 合作社', ...extra },
  geometry: box(lon, lat, lon + 0.001, lat + 0.001),
})

// "features" is not the first key; a bbox array and a crs object come before it, names are Chinese
const COLLECTION = JSON.stringify({
  bbox: [113, 35, 113.1, 35.1],
  crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } },
  name: '地块 [features]',
  features: Array.from({ length: 40 }, (_, i) =>
    parcel(`S-${i}`, 113.001 + (i % 8) * 0.01, 35.001 + Math.floor(i / 8) * 0.01, { note: `第${i}块 {"x": [1,2]}` }),
  ),
  type: 'FeatureCollection',
})

describe('readFeatureStream', () => {
  it('a FeatureCollection streamed in small chunks gives the same features as the whole text', async () => {
    const whole = await collect(featuresOf(COLLECTION))
    expect(whole).toHaveLength(40)
    expect(whole.every((i) => i.feature && !i.error)).toBe(true)
    for (const size of [1, 3, 7, 64, 4096]) {
      const streamed = await collect(readFeatureStream(chunked(COLLECTION, size)))
      expect(
        streamed.map((i) => i.feature),
        `chunks of up to ${size} bytes`,
      ).toEqual(whole.map((i) => i.feature))
      expect(streamed.map((i) => i.offset)).toEqual(whole.map((i) => i.offset))
    }
    // the offset is where the feature's text starts
    const second = whole[1]!
    expect(
      Buffer.from(COLLECTION)
        .subarray(second.offset!, second.offset! + 10)
        .toString(),
    ).toBe('{"type":"F')
  })

  it('reads GeoJSON-seq: one feature per line, RFC 8142 record separators, a single Feature, a byte-order mark', async () => {
    const lines = [parcel('L-1', 113, 35), parcel('L-2', 113.01, 35), parcel('L-3', 113.02, 35)].map((f) =>
      JSON.stringify(f),
    )
    for (const text of [
      lines.join('\n') + '\n',
      lines.map((l) => `\x1e${l}\n`).join(''),
      '\ufeff' + lines.join('\r\n'),
      lines.join(' '),
    ]) {
      const items = await collect(readFeatureStream(chunked(text, 5)))
      expect(items.map((i) => i.feature?.properties?.externalId)).toEqual(['L-1', 'L-2', 'L-3'])
    }
    const single = await collect(readFeatureStream(chunked(lines[0]!, 3)))
    expect(single.map((i) => i.feature?.properties?.externalId)).toEqual(['L-1'])
  })

  it('reports a malformed feature with its byte offset and goes on; a broken structure ends the stream saying where', async () => {
    const good = JSON.stringify(parcel('G-1', 113, 35))
    const text = `${good}\n{"type":"Feature","properties":{"externalId":"BAD"},"geometry":{"type":"Polygon" "coordinates":[]}}\n${good.replace('G-1', 'G-2')}\n`
    const items = await collect(readFeatureStream(chunked(text, 4)))
    expect(items).toHaveLength(3)
    expect(items[1]!.error).toContain(`malformed JSON at byte ${Buffer.byteLength(good) + 1}`)
    expect(items[2]!.feature?.properties?.externalId).toBe('G-2')

    const truncated = COLLECTION.slice(0, 900)
    const cut = await collect(readFeatureStream(chunked(truncated, 13)))
    expect(cut.at(-1)!.error).toContain(
      `malformed JSON at byte ${Buffer.byteLength(truncated)}: input ends inside the features array`,
    )

    const garbage = await collect(readFeatureStream(chunked(`${good}\nnot json at all`, 6)))
    expect(garbage.at(-1)!.error).toBe(
      `malformed JSON at byte ${Buffer.byteLength(good) + 1}: unexpected "n" between GeoJSON objects`,
    )

    const scalars = await collect(
      readFeatureStream(chunked('{"type":"FeatureCollection","features":[null, 12, "x", [1], {"type":"Banana"}]}', 2)),
    )
    expect(scalars.map((i) => i.error)).toEqual(Array(5).fill('not a GeoJSON Feature'))
    expect(scalars.map((i) => i.index)).toEqual([0, 1, 2, 3, 4])
  })
})

describe('importFeatures from a stream', () => {
  let a: { database: Database; close: () => Promise<void> }
  let b: { database: Database; close: () => Promise<void> }
  const options = (kind: ImportKind) => ({
    kind,
    invalid: 'reject' as const,
    properties: DEFAULT_PROPERTIES,
    batchSize: 7,
    matchToleranceM2: 10,
    actor: SYSTEM_ACTOR,
  })

  beforeAll(async () => {
    a = await testDatabase('empty')
    b = await testDatabase('empty')
    for (const d of [a, b]) {
      const region = JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { code: 'ST', name: '流' }, geometry: box(113, 35, 113.1, 35.1) }],
      })
      const cells = JSON.stringify({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { code: 'ST', name: '县' }, geometry: box(113, 35, 113.1, 35.1) },
          {
            type: 'Feature',
            properties: { code: 'ST001', name: '西', parentCode: 'ST' },
            geometry: box(113, 35, 113.05, 35.1),
          },
          {
            type: 'Feature',
            properties: { code: 'ST002', name: '东', parentCode: 'ST' },
            geometry: box(113.05, 35, 113.1, 35.1),
          },
        ],
      })
      expect((await importFeatures(d.database.db, featuresOf(region), options('regions'))).committed).toBe(true)
      expect((await importFeatures(d.database.db, featuresOf(cells), options('cells'))).committed).toBe(true)
    }
  })
  afterAll(async () => {
    await a?.close()
    await b?.close()
  })

  const fingerprint = async (database: Database) =>
    (
      await sql<{ s: string }>`
        SELECT string_agg(p.external_id || ':' || p.land_use || ':' || COALESCE(p.owner_name, '') || ':' || md5(ST_AsBinary(p.boundary)) || ':' ||
                          COALESCE(c.code, '-') || ':' || m.placement, '|' ORDER BY p.external_id) AS s
        FROM parcels p JOIN parcel_matches m ON m.parcel_id = p.id LEFT JOIN grid_cells c ON c.id = m.cell_id`.execute(
        database.db,
      )
    ).rows[0]!.s

  it('a FeatureCollection streamed in small chunks imports exactly what the whole-text path imports', async () => {
    const whole = await importFeatures(a.database.db, featuresOf(COLLECTION), options('parcels'))
    const streamed = await importFeatures(b.database.db, readFeatureStream(chunked(COLLECTION, 11)), options('parcels'))
    expect(whole).toMatchObject({ committed: true, imported: 40, rematched: 40, rejected: [] })
    expect(streamed).toEqual(whole)
    expect(await fingerprint(b.database)).toBe(await fingerprint(a.database))
  })

  it('a malformed stream is all or nothing: the report says where, and nothing is written', async () => {
    const before = await fingerprint(b.database)
    const features = Array.from({ length: 20 }, (_, i) => JSON.stringify(parcel(`M-${i}`, 113.001 + i * 0.002, 35.05)))
    const text = features.slice(0, 15).join('\n') + '\n{"type":"Feature","properties":{"externalId":"M-X"'
    const report = await importFeatures(b.database.db, readFeatureStream(chunked(text, 9)), options('parcels'))
    expect(report).toMatchObject({ committed: false, imported: 0, read: 16 })
    expect(report.rejected).toEqual([
      {
        index: 15,
        id: null,
        reason: expect.stringMatching(/^malformed JSON at byte \d+: input ends inside a GeoJSON object/),
      },
    ])
    expect(await fingerprint(b.database)).toBe(before)
    expect(
      (await b.database.db.selectFrom('parcels').select('id').where('external_id', 'like', 'M-%').execute()).length,
    ).toBe(0)
  })
})
