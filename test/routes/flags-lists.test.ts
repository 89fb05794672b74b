// Reading flags: the lists, the map layer and the exports (CSV, GeoJSON).
import { Readable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { EXPORT_CHUNK, exportFlags } from '../../server/src/features/flags/service-export.js'
import type { TestApp } from '../helpers/app.js'
import { point, POINTS, sh, type FlagsWorld, flagsSuite, NOW, type FlagApi } from './flags.helpers.js'

let t: TestApp
let w: FlagsWorld
let api: FlagApi
beforeAll(async () => ({ t, w, api } = await flagsSuite()))
afterAll(async () => t.close())
beforeEach(() => {
  t.clock.now = NOW
})

describe('GET /api/flags, /api/flags.geojson, /api/flags/export', () => {
  let mineId: number
  let otherId: number
  beforeAll(async () => {
    t.clock.now = sh('2026-11-20', '09:00')
    otherId = (
      await api.reportOk(w.inspector2, {
        category: 'water',
        geometry: point([113.035, 35.005]),
        description: '=HYPERLINK("x")',
      })
    ).id
    t.clock.now = NOW
    mineId = (
      await api.reportOk(w.inspector, {
        category: 'water',
        geometry: point([113.036, 35.006]),
        description: '污水, "直排"',
      })
    ).id
    // one in township C01, for its supervisor's map
    await api.reportOk(w.inspector, { category: 'dumping', geometry: point(POINTS.village) })
  })

  it('inspectors: mine=true lists only what they reported', async () => {
    const res = await api.inject('GET', '/api/flags?mine=true&limit=1000', w.inspector2)
    expect(res.statusCode).toBe(200)
    const ids = (res.json() as { flags: { id: number }[] }).flags.map((f) => f.id)
    expect(ids).toContain(otherId)
    expect(ids).not.toContain(mineId)
  })

  it('officers filter by state, category, township, bbox and date range', async () => {
    const list = async (q: string) => {
      const res = await api.inject('GET', `/api/flags?${q}&limit=1000`, w.viewer)
      expect(res.statusCode, res.body).toBe(200)
      return (
        res.json() as {
          total: number
          flags: { id: number; category: string; state: string; routing: { townshipCode: string } }[]
        }
      ).flags
    }
    const water = await list('category=water&township=C02')
    expect(water.map((f) => f.id)).toEqual(expect.arrayContaining([mineId, otherId]))
    expect(water.every((f) => f.category === 'water' && f.routing.townshipCode === 'C02')).toBe(true)
    expect((await list('from=2026-11-20&to=2026-11-20')).map((f) => f.id)).toEqual([otherId])
    expect((await list('bbox=113.0355,35.0055,113.0365,35.0065')).map((f) => f.id)).toEqual([mineId])
    expect((await list('state=rejected,closed')).every((f) => ['rejected', 'closed'].includes(f.state))).toBe(true)
    expect((await list('township=C01')).some((f) => f.id === mineId)).toBe(false)
  })

  it('bad filters → 400 naming the parameter', async () => {
    for (const [q, name] of [
      ['state=lost', '"state"'],
      ['bbox=1,2,3', '"bbox"'],
      ['from=2026-02-30', '"from"'],
      ['limit=0', '"limit"'],
    ]) {
      const res = await api.inject('GET', `/api/flags?${q}`, w.viewer)
      expect(res.statusCode, q).toBe(400)
      expect(res.json().error.message).toContain(name)
    }
  })

  it('supervisors use their inbox, not the county list (403)', async () => {
    expect((await api.inject('GET', '/api/flags', w.supT1)).statusCode).toBe(403)
  })

  it('the map layer: a FeatureCollection with state colours; supervisors see only their cells', async () => {
    const res = await api.inject('GET', '/api/flags.geojson?bbox=113.02,35,113.04,35.02', w.viewer)
    expect(res.statusCode).toBe(200)
    const fc = res.json() as {
      type: string
      features: {
        id: number
        geometry: { type: string }
        properties: { state: string; color: string; townshipCode: string }
      }[]
    }
    expect(fc.type).toBe('FeatureCollection')
    expect(fc.features.map((f) => f.id)).toEqual(expect.arrayContaining([mineId, otherId]))
    const reported = fc.features.find((f) => f.id === mineId)!
    expect(reported.properties).toMatchObject({ state: 'reported', color: '#7e57c2', townshipCode: 'C02' })
    expect(reported.geometry.type).toBe('Point')
    const own = (await api.inject('GET', '/api/flags.geojson', w.supT1)).json() as typeof fc
    expect(own.features.length).toBeGreaterThan(0)
    expect(own.features.every((f) => f.properties.townshipCode === 'C01')).toBe(true)
  })

  it('CSV export: UTF-8 with BOM, quoted where needed, formulas defused', async () => {
    const res = await api.inject('GET', '/api/flags/export?format=csv&category=water&township=C02', w.viewer)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    expect(res.headers['content-disposition']).toBe('attachment; filename="flags.csv"')
    expect(res.body.startsWith('\ufeffid,category,state,description,lon,lat,')).toBe(true)
    const lines = res.body.trim().split('\r\n')
    expect(lines.length).toBeGreaterThanOrEqual(3)
    expect(res.body).toContain(
      `${mineId},water,reported,"污水, ""直排""",113.036,35.006,C02001,C02,C02,true,fallback_vacant`,
    )
    expect(res.body).toContain(`${otherId},water,reported,"'=HYPERLINK(""x"")"`)
  })

  it('GeoJSON export: the same flags as a FeatureCollection download', async () => {
    const res = await api.inject('GET', '/api/flags/export?format=geojson&category=water&township=C02', w.admin)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/geo+json; charset=utf-8')
    const ids = (JSON.parse(res.body) as { features: { id: number }[] }).features.map((f) => f.id)
    expect(ids).toEqual(expect.arrayContaining([mineId, otherId]))
    expect((await api.inject('GET', '/api/flags/export?format=xlsx', w.admin)).statusCode).toBe(400)
    expect((await api.inject('GET', '/api/flags/export?format=csv', w.inspector)).statusCode).toBe(403)
  })
})

describe('GET /api/flags/export?format=csv: streamed', () => {
  // more flags than two chunks of the export, in a corner of C02001 no other test of this file uses
  const n = EXPORT_CHUNK * 2 + 7
  const bbox = '113.021,35.0151,113.029,35.019'
  let ids: number[]
  beforeAll(async () => {
    const { rows } = await sql<{ id: number }>`
      INSERT INTO flags (category, description, location, state, created_at, updated_at)
      SELECT 'dust', 'stream ' || i, ST_SetSRID(ST_MakePoint(113.022 + i * 1e-6, 35.016), 4326), 'reported',
             timestamptz '2026-11-25 08:00+08' + i * interval '1 second', timestamptz '2026-11-25 08:00+08'
      FROM generate_series(1, ${n}) AS i
      RETURNING id`.execute(t.database.db)
    ids = rows.map((r) => r.id).sort((a, b) => a - b)
  })

  it('many flags: every one once, newest first, sent as a stream (no content-length)', async () => {
    const res = await api.inject('GET', `/api/flags/export?format=csv&bbox=${bbox}`, w.viewer)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8')
    // a string or buffer reply gets a content-length; a piped stream does not
    expect(res.headers['content-length']).toBeUndefined()
    expect(res.body.startsWith('\ufeffid,category,state,description,lon,lat,')).toBe(true)
    expect(res.body.endsWith('\r\n')).toBe(true)
    const rows = res.body.slice(1, -2).split('\r\n').slice(1)
    // inserted one second apart, so the newest is the last inserted
    expect(rows.map((r) => Number(r.split(',')[0]))).toEqual([...ids].reverse())
    expect(rows[0]!.startsWith(`${ids[n - 1]},dust,reported,stream ${n},`)).toBe(true)
  })

  it('the service hands the CSV over as a stream that yields it in pieces', async () => {
    const out = await exportFlags(
      t.database.db,
      'csv',
      { bbox: [113.021, 35.0151, 113.029, 35.019] },
      NOW,
      'Asia/Shanghai',
    )
    expect(out.body).toBeInstanceOf(Readable)
    let pieces = 0
    let text = ''
    for await (const piece of out.body as Readable) {
      pieces++
      text += String(piece)
    }
    // not one string: the rows arrive as the chunks are read
    expect(pieces).toBeGreaterThan(1)
    expect(text.split('\r\n').length - 2).toBe(n)
  })
})
