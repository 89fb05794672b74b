// "Undo this change": restoring one cell's older version after an edit that trimmed its neighbours
// leaves a new gap; undoing the edit puts every cell it touched back and leaves none. Gap figures are
// measured here by their own SQL (parent minus the union of its active children), not by the app.
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box } from '../helpers/factories.js'
import { editWorld } from '../helpers/edit-world.js'
import { editState } from '../helpers/edit-state.js'

let t: TestApp
let admin: Record<string, string>

beforeEach(async () => {
  if (t) await t.close()
  t = await testApp()
  admin = (await signedIn(t, 'admin')).headers
  await editWorld(t.database.db, { parcels: ['P-BORDER'] })
})
afterAll(async () => t?.close())

const edit = (payload: object, preview = false) =>
  t.app.inject({ method: 'POST', url: preview ? '/api/edits/preview' : '/api/edits', headers: admin, payload })

/** Gaps under T larger than the sliver tolerance: count and total area, straight from the tables. */
async function gapsUnderT() {
  const { rows } = await sql<{ n: number; area: number }>`
    WITH p AS (SELECT id, boundary FROM grid_cells WHERE code = 'T'),
    k AS (SELECT ST_Union(c.boundary) AS g FROM grid_cells c, p WHERE c.parent_id = p.id AND c.retired_at IS NULL),
    pieces AS (SELECT ST_Area((ST_Dump(ST_Difference(p.boundary, k.g))).geom::geography) AS a FROM p, k)
    SELECT count(*)::int AS n, COALESCE(sum(a), 0)::float8 AS area FROM pieces WHERE a > ${t.config.sliverToleranceM2}`.execute(
    t.database.db,
  )
  return rows[0]!
}

/** Whether each cell's boundary is exactly the one it had at a version. */
async function sameAsVersion(code: string, version: number) {
  const { rows } = await sql<{ same: boolean }>`
    SELECT ST_Equals(c.boundary, v.boundary) AND NOT (c.retired_at IS NOT NULL) AS same
    FROM grid_cells c JOIN cell_versions v ON v.cell_id = c.id AND v.version = ${version} WHERE c.code = ${code}`.execute(
    t.database.db,
  )
  return rows[0]?.same ?? false
}

const dbState = () => editState(t.database.db)

async function matchedCell(externalId: string) {
  const { rows } = await sql<{ code: string | null }>`
    SELECT c.code FROM parcels p JOIN parcel_matches m ON m.parcel_id = p.id LEFT JOIN grid_cells c ON c.id = m.cell_id
    WHERE p.external_id = ${externalId}`.execute(t.database.db)
  return rows[0]?.code ?? null
}

const growT001 = {
  operation: 'reshape',
  cellCode: 'T001',
  version: 1,
  geometry: box(113, 35, 113.012, 35.01),
  trimSiblings: true,
  reason: 'village boundary moved east',
}
const codesAndChanges = (r: { cells: { code: string; change: string }[] }) => r.cells.map((c) => [c.code, c.change])

describe('POST /api/edits (undo)', () => {
  it('restoring one cell leaves a new gap; undoing the edit restores every cell it touched and leaves none', async () => {
    const before = await gapsUnderT()
    // by hand: the strip 0.01° × 0.002° at 35°N ≈ 913 m × 222 m
    expect(before.n).toBe(1)
    expect(before.area).toBeGreaterThan(200_000)
    expect(before.area).toBeLessThan(205_000)

    const grown = await edit(growT001)
    expect(grown.statusCode, grown.body).toBe(200)
    const growId = grown.json().editId as number
    expect(growId).toEqual(expect.any(Number))
    expect(codesAndChanges(grown.json())).toEqual([
      ['T001', 'reshaped'],
      ['T002', 'trimmed'],
    ])
    expect(await matchedCell('P-BORDER')).toBe('T001')

    // the bug, as it stands: restoring T001 alone leaves the trimmed strip of T002 uncovered
    const restored = await edit({
      operation: 'restore',
      cellCode: 'T001',
      version: 2,
      toVersion: 1,
      reason: 'wrong survey',
    })
    expect(restored.statusCode, restored.body).toBe(200)
    const afterRestore = await gapsUnderT()
    expect(afterRestore.n).toBe(2)
    // the new gap is T002's lost strip, 0.002° × 0.01° ≈ 183 m × 1,110 m
    expect(afterRestore.area - before.area).toBeGreaterThan(200_000)

    // the grow cannot be undone while T001 carries a later change: 409 naming it, nothing written
    const blocked = await dbState()
    const stale = await edit({ operation: 'undo', editId: growId, reason: 'undo the grow' })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error).toMatchObject({
      code: 'stale_version',
      details: { code: 'T001', currentVersion: 3, editVersion: 2 },
    })
    expect(await dbState()).toBe(blocked)

    // undo the restore, then the grow
    const undoRestore = await edit({ operation: 'undo', editId: restored.json().editId, reason: 'undo the restore' })
    expect(undoRestore.statusCode, undoRestore.body).toBe(200)
    expect(codesAndChanges(undoRestore.json())).toEqual([['T001', 'restored']])

    const beforeUndo = await dbState()
    const preview = await edit({ operation: 'undo', editId: growId }, true)
    expect(preview.statusCode, preview.body).toBe(200)
    expect(await dbState()).toBe(beforeUndo)
    const p = preview.json()
    expect(p).toMatchObject({ operation: 'undo', applied: false, editId: null })
    expect(codesAndChanges(p)).toEqual([
      ['T001', 'restored'],
      ['T002', 'restored'],
    ])
    expect(p.gaps.created).toEqual([])
    expect(p.parcels).toMatchObject([
      { externalId: 'P-BORDER', from: { cellCode: 'T001' }, to: { cellCode: 'T002', accountableCode: 'T002' } },
    ])

    const undone = await edit({ operation: 'undo', editId: growId, reason: 'undo the grow' })
    expect(undone.statusCode, undone.body).toBe(200)
    expect({ ...undone.json(), applied: false, editId: null }).toEqual(p)

    const after = await gapsUnderT()
    expect(after.n).toBe(before.n)
    expect(after.area).toBeCloseTo(before.area, 3)
    expect(await sameAsVersion('T001', 1)).toBe(true)
    expect(await sameAsVersion('T002', 1)).toBe(true)
    expect(await matchedCell('P-BORDER')).toBe('T002')

    // audited per cell, naming the edit undone
    const { rows: audit } = await sql<{ action: string; undoes: string }>`
      SELECT action, after->>'undoes' AS undoes FROM audit_log
      WHERE action = 'cell_restored' AND after->>'undoes' = ${String(growId)} ORDER BY entity_id`.execute(t.database.db)
    expect(audit).toHaveLength(2)
    // and the history names the edit that wrote each version
    const history = (await t.app.inject({ method: 'GET', url: '/api/cells/T002/history', headers: admin })).json()
    expect(history.map((v: { version: number; editId: number | null }) => [v.version, v.editId])).toEqual([
      [1, null],
      [2, growId],
      [3, undone.json().editId],
    ])
  })

  it('undoing an edit that created a cell retires it and gives the gap back', async () => {
    const before = await gapsUnderT()
    const created = await edit({
      operation: 'fix_gap',
      parentCode: 'T',
      point: [113.025, 35.009],
      action: 'new_cell',
      name: '河滩',
      reason: 'new cell',
    })
    expect(created.statusCode, created.body).toBe(200)
    expect((await gapsUnderT()).n).toBe(0)
    const undone = await edit({ operation: 'undo', editId: created.json().editId, reason: 'not a cell after all' })
    expect(undone.statusCode, undone.body).toBe(200)
    expect(codesAndChanges(undone.json())).toEqual([['T004', 'retired']])
    const after = await gapsUnderT()
    expect(after.n).toBe(before.n)
    expect(after.area).toBeCloseTo(before.area, 3)
  })

  it('undoing a merge brings the retired cell back', async () => {
    const merged = await edit({
      operation: 'merge',
      keepCode: 'T001',
      keepVersion: 1,
      mergeCode: 'T002',
      mergeVersion: 1,
      reason: 'villages merged',
    })
    expect(merged.statusCode, merged.body).toBe(200)
    const undone = await edit({ operation: 'undo', editId: merged.json().editId, reason: 'merge called off' })
    expect(undone.statusCode, undone.body).toBe(200)
    expect(codesAndChanges(undone.json())).toEqual([
      ['T001', 'restored'],
      ['T002', 'restored'],
    ])
    expect(await sameAsVersion('T001', 1)).toBe(true)
    expect(await sameAsVersion('T002', 1)).toBe(true)
    expect(await matchedCell('P-BORDER')).toBe('T002')
  })

  it('refuses an unknown or malformed edit id; nothing written', async () => {
    const before = await dbState()
    const unknown = await edit({ operation: 'undo', editId: 999_999, reason: 'x' })
    expect(unknown.statusCode).toBe(404)
    // beyond an int4, like every id, is refused by the request schema
    for (const editId of [1e20, 0, -1, 1.5, null]) {
      const res = await edit({ operation: 'undo', editId, reason: 'x' })
      expect(res.statusCode, String(editId)).toBe(400)
      expect(res.json().error.message).toContain('editId')
    }
    expect((await edit({ operation: 'undo', editId: 1 })).statusCode).toBe(400)
    expect(await dbState()).toBe(before)
  })
})
