// The data version keys every cached tile and coverage result. A preview runs the edit and rolls it
// back, so it must leave the version (and the cached tiles) alone; only a committed edit moves it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'
import { dataVersion } from '../../server/src/services/data-version.js'
import { tileOf } from './tiles.helpers.js'

let t: TestApp
let admin: Record<string, string>

beforeAll(async () => {
  t = await testApp()
  admin = (await signedIn(t, 'admin')).headers
  const f = factories(t.database.db)
  const region = await f.region('V', box(113, 35, 113.02, 35.01))
  await f.cell({ regionId: region.id, code: 'V', level: 1, geometry: box(113, 35, 113.02, 35.01) })
  await f.cell({ regionId: region.id, code: 'V001', level: 2, parentCode: 'V', geometry: box(113, 35, 113.01, 35.01) })
  // V002 leaves the strip [35.008, 35.01] uncovered: the gaps layer has something to cache
  await f.cell({
    regionId: region.id,
    code: 'V002',
    level: 2,
    parentCode: 'V',
    geometry: box(113.01, 35, 113.02, 35.008),
  })
})
afterAll(async () => t?.close())

const { x, y } = tileOf(113.01, 35.005, 14)
const tile = (layer: string) =>
  t.app.inject({ method: 'GET', url: `/tiles/${layer}/14/${x}/${y}.pbf?at=2026-06-01`, headers: admin })
const shrinkV001 = {
  operation: 'reshape',
  cellCode: 'V001',
  version: 1,
  geometry: box(113, 35, 113.009, 35.01),
  reason: 'survey',
}

describe('POST /api/edits/preview and the data version', () => {
  it('a preview leaves the data version and the cached tiles alone; a saved edit moves them', async () => {
    const cells = await tile('cells-2')
    expect(cells.statusCode).toBe(200)
    const gaps = await tile('gaps')
    expect(gaps.statusCode).toBe(200)
    expect((await tile('cells-2')).headers['x-tile-cache']).toBe('hit')
    const version = dataVersion()

    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/edits/preview',
      headers: admin,
      payload: shrinkV001,
    })
    expect(preview.statusCode, preview.body).toBe(200)
    expect(dataVersion()).toBe(version)
    for (const [layer, first] of [
      ['cells-2', cells],
      ['gaps', gaps],
    ] as const) {
      const again = await tile(layer)
      expect(again.headers['x-tile-cache'], layer).toBe('hit')
      expect(again.headers.etag, layer).toBe(first.headers.etag)
    }

    const saved = await t.app.inject({ method: 'POST', url: '/api/edits', headers: admin, payload: shrinkV001 })
    expect(saved.statusCode, saved.body).toBe(200)
    expect(dataVersion()).toBeGreaterThan(version)
    for (const [layer, first] of [
      ['cells-2', cells],
      ['gaps', gaps],
    ] as const) {
      const after = await tile(layer)
      expect(after.headers['x-tile-cache'], layer).toBe('miss')
      // V001 shrank: its outline and the gap it opened are new
      expect(after.headers.etag, layer).not.toBe(first.headers.etag)
    }
  })

  it('a refused edit leaves the data version alone', async () => {
    const version = dataVersion()
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/edits',
      headers: admin,
      payload: { ...shrinkV001, version: 99 },
    })
    expect(res.statusCode).toBe(409)
    expect(dataVersion()).toBe(version)
  })
})
