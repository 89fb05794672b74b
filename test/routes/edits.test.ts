// Boundary edits: validation, preview = result, concurrency, history. Every rejected request checks
// that the database is unchanged.
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box } from '../helpers/factories.js'
import { editWorld } from '../helpers/edit-world.js'
import { editState } from '../helpers/edit-state.js'
import { BAD_GEOMETRIES } from '../helpers/bad-geometries.js'

let t: TestApp
let admin: Record<string, string>

const dbState = () => editState(t.database.db)

async function cell(code: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/cells/${code}`, headers: admin })
  return res.json() as {
    version: number
    retired: boolean
    people: { name: string }[]
    areaM2: number
    geometry: unknown
  }
}

const edit = (payload: object, preview = false) =>
  t.app.inject({ method: 'POST', url: preview ? '/api/edits/preview' : '/api/edits', headers: admin, payload })

async function accountableFor(externalId: string) {
  const { rows } = await sql<{ code: string | null }>`
    SELECT c.code FROM parcels p JOIN parcel_matches m ON m.parcel_id = p.id LEFT JOIN grid_cells c ON c.id = m.cell_id
    WHERE p.external_id = ${externalId}`.execute(t.database.db)
  return rows[0]?.code ?? null
}

beforeEach(async () => {
  // each test starts from the same world
  if (t) await t.close()
  t = await testApp()
  admin = (await signedIn(t, 'admin')).headers
  await editWorld(t.database.db, { staffT003: true, parcels: ['P-WEST', 'P-BORDER', 'P-EAST', 'P-T002-FAR'] })
})
afterAll(async () => t?.close())

const growT001 = {
  operation: 'reshape',
  cellCode: 'T001',
  version: 1,
  geometry: box(113, 35, 113.012, 35.01),
  reason: 'village boundary moved east',
}

describe('POST /api/edits (reshape)', () => {
  it('refuses an overlap with a sibling, naming it, its area and where; nothing written', async () => {
    const before = await dbState()
    const res = await edit(growT001)
    expect(res.statusCode).toBe(422)
    const err = res.json().error
    expect(err.code).toBe('overlaps_siblings')
    expect(err.details.overlaps[0].code).toBe('T002')
    expect(err.details.overlaps[0].areaM2).toBeGreaterThan(200_000)
    expect(err.details.overlaps[0].location[0]).toBeGreaterThan(113.01)
    expect(await dbState()).toBe(before)
  })

  it('previews without writing, and saving applies exactly what the preview showed', async () => {
    const before = await dbState()
    const preview = await edit({ ...growT001, trimSiblings: true }, true)
    expect(preview.statusCode, preview.body).toBe(200)
    const p = preview.json()
    expect(p.applied).toBe(false)
    expect(await dbState()).toBe(before)
    expect(p.cells.map((c: { code: string; change: string }) => [c.code, c.change])).toEqual([
      ['T001', 'reshaped'],
      ['T002', 'trimmed'],
    ])
    expect(p.parcels).toEqual([
      {
        id: expect.any(Number),
        externalId: 'P-BORDER',
        from: {
          status: 'matched',
          cellCode: 'T002',
          accountableCode: 'T002',
          people: ['李四 (grid_chief)', '李四助 (grid_member)'],
        },
        to: {
          status: 'matched',
          cellCode: 'T001',
          accountableCode: 'T001',
          people: ['张三 (grid_chief)', '张三助 (grid_member)'],
        },
      },
    ])

    const saved = await edit({ ...growT001, trimSiblings: true })
    expect(saved.statusCode).toBe(200)
    // the same result, plus the saved edit's id (a preview has none)
    expect(p.editId).toBeNull()
    expect(saved.json().editId).toEqual(expect.any(Number))
    expect({ ...saved.json(), applied: false, editId: null }).toEqual(p)
    expect(await accountableFor('P-BORDER')).toBe('T001')
    expect((await cell('T001')).version).toBe(2)
    expect((await cell('T002')).version).toBe(2)
  })

  it('refuses a stale version with 409 and the current state; nothing written', async () => {
    expect((await edit({ ...growT001, trimSiblings: true })).statusCode).toBe(200)
    const before = await dbState()
    const res = await edit({ ...growT001, geometry: box(113, 35, 113.011, 35.01), trimSiblings: true })
    expect(res.statusCode).toBe(409)
    expect(res.json().error).toMatchObject({ code: 'stale_version', details: { code: 'T001', currentVersion: 2 } })
    expect(res.json().error.details.current.geometry.type).toBe('MultiPolygon')
    expect(await dbState()).toBe(before)
  })

  it('refuses a boundary outside the parent, or clips it when asked', async () => {
    const before = await dbState()
    const outside = { ...growT001, geometry: box(112.999, 35, 113.01, 35.01) }
    const res = await edit(outside)
    expect(res.statusCode).toBe(422)
    expect(res.json().error.code).toBe('outside_parent')
    expect(res.json().error.details.location[0]).toBeLessThan(113)
    expect(await dbState()).toBe(before)
    const clipped = await edit({ ...outside, clipToParent: true })
    expect(clipped.statusCode).toBe(200)
    expect(clipped.json().cells[0].areaAfterM2).toBeCloseTo((await cell('T001')).areaM2, 0)
  })

  it(`rejects every geometry in the bad-geometry corpus (${BAD_GEOMETRIES.length} cases) with a located reason; nothing written`, async () => {
    expect(BAD_GEOMETRIES.length).toBeGreaterThanOrEqual(30)
    const before = await dbState()
    const failures: string[] = []
    for (const bad of BAD_GEOMETRIES) {
      for (const preview of [true, false]) {
        const res = await edit({ ...growT001, geometry: bad.geometry }, preview)
        const err = res.json().error
        if (res.statusCode !== 400 || !err.message.includes(bad.says))
          failures.push(`${bad.name}: ${res.statusCode} ${err?.message}`)
        if (bad.located && !(Array.isArray(err?.details?.location) && err.details.location.length === 2))
          failures.push(`${bad.name}: no location`)
      }
    }
    expect(failures).toEqual([])
    expect(await dbState()).toBe(before)
  })

  it('names missing fields', async () => {
    const before = await dbState()
    const res = await edit({
      operation: 'reshape',
      cellCode: 'T001',
      geometry: box(113, 35, 113.01, 35.01),
      reason: 'x',
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.message).toContain('"version"')
    const noReason = await edit({ ...growT001, reason: '' })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.json().error.message).toContain('reason')
    // a preview needs no reason: nothing is written
    const { reason: _omitted, ...withoutReason } = growT001
    expect((await edit({ ...withoutReason, trimSiblings: true }, true)).statusCode).toBe(200)
    expect((await edit({ ...growT001, cellCode: 'NOPE' })).statusCode).toBe(404)
    expect(await dbState()).toBe(before)
  })
})

describe('POST /api/edits (split, merge, delete)', () => {
  it('splits a cell along a line: the larger part keeps the code and people, the other gets a new code', async () => {
    const res = await edit({
      operation: 'split',
      cellCode: 'T003',
      version: 1,
      line: {
        type: 'LineString',
        coordinates: [
          [113.026, 34.99],
          [113.026, 35.02],
        ],
      },
      names: ['新村'],
      reason: 'industrial park',
    })
    expect(res.statusCode, res.body).toBe(200)
    const r = res.json()
    expect(r.cells.map((c: { code: string; change: string }) => [c.code, c.change])).toEqual([
      ['T003', 'shrunk'],
      ['T004', 'created'],
    ])
    const created = await cell('T004')
    expect(created.people).toEqual([])
    // P-EAST now lies in the new, vacant cell: inherited by the parent
    expect(r.parcels).toMatchObject([
      {
        externalId: 'P-EAST',
        from: { cellCode: 'T003', status: 'matched' },
        to: { cellCode: 'T004', status: 'inherited', accountableCode: 'T' },
      },
    ])
  })

  it('refuses a line that does not cut the cell; nothing written', async () => {
    const before = await dbState()
    const res = await edit({
      operation: 'split',
      cellCode: 'T003',
      version: 1,
      line: {
        type: 'LineString',
        coordinates: [
          [113.1, 35],
          [113.1, 35.01],
        ],
      },
      reason: 'x',
    })
    expect(res.statusCode).toBe(422)
    expect(res.json().error.code).toBe('split_failed')
    expect(await dbState()).toBe(before)
  })

  it('merges two adjacent cells: one code kept, the other retired and its duties ended', async () => {
    const nonAdjacent = await edit({
      operation: 'merge',
      keepCode: 'T001',
      keepVersion: 1,
      mergeCode: 'T003',
      mergeVersion: 1,
      reason: 'x',
    })
    expect(nonAdjacent.statusCode).toBe(422)
    expect(nonAdjacent.json().error.code).toBe('not_adjacent')
    const res = await edit({
      operation: 'merge',
      keepCode: 'T001',
      keepVersion: 1,
      mergeCode: 'T002',
      mergeVersion: 1,
      reason: 'villages merged',
    })
    expect(res.statusCode, res.body).toBe(200)
    const r = res.json()
    expect(r.cells.map((c: { code: string; change: string }) => [c.code, c.change])).toEqual([
      ['T001', 'grown'],
      ['T002', 'retired'],
    ])
    expect(r.endedResponsibilities).toHaveLength(2)
    expect((await cell('T002')).retired).toBe(true)
    expect(await accountableFor('P-BORDER')).toBe('T001')
  })

  it('deletes a cell: its land becomes a gap the preview reports', async () => {
    const res = await edit(
      { operation: 'delete', cellCode: 'T002', version: 1, reason: 'handed to another county' },
      true,
    )
    expect(res.statusCode).toBe(200)
    const r = res.json()
    // the freed land joins the gap strip at T003's corner: that gap grows from ~0.2 km² to ~1.2 km²
    expect(r.gaps.created).toEqual([])
    expect(r.gaps.changed).toHaveLength(1)
    expect(r.gaps.changed[0].before.areaM2).toBeCloseTo(202_530, -2)
    expect(r.gaps.changed[0].after.areaM2).toBeGreaterThan(1_100_000)
    expect(r.parcels).toMatchObject([
      { externalId: 'P-BORDER', from: { cellCode: 'T002' }, to: { status: 'unowned', cellCode: null } },
      { externalId: 'P-T002-FAR', from: { cellCode: 'T002' }, to: { status: 'unowned', cellCode: null } },
    ])
  })
})

describe('fix-a-gap and fix-an-overlap helpers', () => {
  it('gives a gap to a neighbouring cell: the cell grows by exactly the gap', async () => {
    const before = await cell('T003')
    const res = await edit({
      operation: 'fix_gap',
      parentCode: 'T',
      point: [113.025, 35.009],
      action: 'give_to',
      cellCode: 'T003',
      cellVersion: 1,
      reason: 'close the gap',
    })
    expect(res.statusCode, res.body).toBe(200)
    const r = res.json()
    expect(r.gaps.closed).toHaveLength(1)
    const after = await cell('T003')
    expect(after.areaM2 - before.areaM2).toBeCloseTo(r.gaps.closed[0].areaM2, 0)
  })

  it('makes a new cell from a gap', async () => {
    const res = await edit({
      operation: 'fix_gap',
      parentCode: 'T',
      point: [113.025, 35.009],
      action: 'new_cell',
      name: '河滩',
      reason: 'new cell',
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().cells).toMatchObject([{ code: 'T004', change: 'created', name: '河滩' }])
  })

  it('gives an overlap to one side', async () => {
    // plant an overlap by reshaping T001 over T002 without trimming is refused, so build it directly
    await sql`UPDATE grid_cells SET boundary = ST_Multi(ST_MakeEnvelope(113, 35, 113.012, 35.01, 4326)) WHERE code = 'T001'`.execute(
      t.database.db,
    )
    const res = await edit({
      operation: 'fix_overlap',
      cellCodes: ['T001', 'T002'],
      versions: [1, 1],
      point: [113.011, 35.005],
      giveTo: 'T002',
      reason: 'overlap to T002',
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json().overlaps.closed).toHaveLength(1)
    expect(res.json().cells.find((c: { code: string }) => c.code === 'T001').change).toBe('shrunk')
  })
})

describe('history', () => {
  it('lists versions, restores an earlier one as a new validated change, and answers "who was accountable on date D" from history', async () => {
    t.clock.now = new Date('2026-06-15T10:00:00Z')
    expect((await edit({ ...growT001, trimSiblings: true })).statusCode).toBe(200)
    const history = (await t.app.inject({ method: 'GET', url: '/api/cells/T001/history', headers: admin })).json()
    expect(history.map((v: { version: number }) => v.version)).toEqual([1, 2])
    expect(history[1]).toMatchObject({
      changedBy: expect.stringContaining('admin'),
      reason: 'village boundary moved east',
    })

    // on 2026-06-14 the point at 113.011 belonged to T002; on 2026-06-15 to T001
    const onDay = async (day: string) =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/accountability?lon=113.011&lat=35.005&at=${day}`,
          headers: admin,
        })
      ).json().chain[0].cell.code
    t.clock.now = new Date('2026-06-20T10:00:00Z')
    expect(await onDay('2026-06-14')).toBe('T002')
    expect(await onDay('2026-06-15')).toBe('T001')

    const restore = await edit({ operation: 'restore', cellCode: 'T001', version: 2, toVersion: 1, reason: 'undo' })
    // T002 was trimmed by the edit, so restoring T001 alone leaves a gap: allowed, and previewed as such
    expect(restore.statusCode, restore.body).toBe(200)
    expect(restore.json().cells).toMatchObject([{ code: 'T001', change: 'restored', versionAfter: 3 }])
    expect(restore.json().gaps.created).toHaveLength(1)
  })
})

describe('concurrency', () => {
  it('two admins growing neighbouring cells into the same land: exactly one succeeds, no overlap', async () => {
    const other = (await signedIn(t, 'admin')).headers
    const a = t.app.inject({
      method: 'POST',
      url: '/api/edits',
      headers: admin,
      payload: {
        operation: 'reshape',
        cellCode: 'T003',
        version: 1,
        geometry: box(113.02, 35, 113.03, 35.01),
        reason: 'a',
      },
    })
    const b = t.app.inject({
      method: 'POST',
      url: '/api/edits',
      headers: other,
      payload: {
        operation: 'fix_gap',
        parentCode: 'T',
        point: [113.025, 35.009],
        action: 'new_cell',
        name: 'b',
        reason: 'b',
      },
    })
    const results = await Promise.all([a, b])
    const codes = results.map((r) => r.statusCode).sort()
    expect(codes[0]).toBe(200)
    expect([404, 422]).toContain(codes[1])
    const overlaps = (await t.app.inject({ method: 'GET', url: '/api/coverage?cell=T', headers: admin })).json()
      .overlaps
    expect(overlaps).toEqual([])
  })
})
