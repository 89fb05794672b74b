// Search text is literal: "%" and "_" are LIKE wildcards, so a user's "%" must match only names that
// contain a "%" (and "_" only an underscore). Expected hits are counted by a different statement
// (strpos / starts_with, no LIKE at all).
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

let t: TestApp
let headers: Record<string, string>

beforeAll(async () => {
  t = await testApp()
  const f = factories(t.database.db)
  const region = await f.region('R1', box(113, 35, 113.04, 35.01))
  await f.cell({ regionId: region.id, code: 'R1', level: 1, geometry: box(113, 35, 113.04, 35.01), name: 'Top' })
  const names = ['100% covered', 'plain', 'a_b', 'axb']
  for (const [i, name] of names.entries()) {
    await f.cell({
      regionId: region.id,
      code: `R100${i + 1}`,
      level: 2,
      parentCode: 'R1',
      geometry: box(113 + i * 0.01, 35, 113.01 + i * 0.01, 35.01),
      name,
    })
  }
  for (const name of ['Li 50%', 'Wang', 'Zhao_Q', 'ZhaoXQ']) await f.person(name)
  for (const [i, externalId] of ['%P3', 'P1', '_P2', 'XP2'].entries()) {
    await f.parcel({
      regionId: region.id,
      externalId,
      geometry: box(113.001 + i * 0.01, 35.001, 113.002 + i * 0.01, 35.002),
    })
  }
  headers = (await signedIn(t, 'viewer')).headers
})
afterAll(async () => t?.close())

/** What search should find for q, counted without LIKE: cells by code prefix or name, people by name, parcels by id prefix. */
async function expectedHits(q: string) {
  const db = t.database.db
  const cells = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM grid_cells
    WHERE retired_at IS NULL AND (starts_with(code, ${q}) OR strpos(name, ${q}) > 0 OR strpos(lower(coalesce(name_en, '')), lower(${q})) > 0)`.execute(
    db,
  )
  const people = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM people WHERE strpos(name, ${q}) > 0 OR strpos(lower(coalesce(name_en, '')), lower(${q})) > 0`.execute(
    db,
  )
  const parcels = await sql<{
    n: number
  }>`SELECT count(*)::int AS n FROM parcels WHERE starts_with(lower(external_id), lower(${q}))`.execute(db)
  return { cell: cells.rows[0]!.n, person: people.rows[0]!.n, parcel: parcels.rows[0]!.n }
}

describe('GET /api/search', () => {
  it.each(['%', '_', '%P', '_P', '\\'])('q=%s matches the text literally, not as a wildcard', async (q) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/search?q=${encodeURIComponent(q)}&limit=50`, headers })
    expect(res.statusCode).toBe(200)
    const hits = res.json() as { type: 'cell' | 'person' | 'parcel'; label: string; key: string }[]
    const counts = { cell: 0, person: 0, parcel: 0 }
    for (const h of hits) counts[h.type]++
    expect(counts).toEqual(await expectedHits(q))
  })

  it('q=% finds exactly the one cell, person and parcel whose name or id holds a "%"', async () => {
    const hits = (await t.app.inject({ method: 'GET', url: '/api/search?q=%25&limit=50', headers })).json() as {
      type: string
      key: string
      label: string
    }[]
    expect(hits.map((h) => `${h.type}:${h.label}`).sort()).toEqual(['cell:100% covered', 'parcel:%P3', 'person:Li 50%'])
  })
})

describe('GET /api/people?q=', () => {
  it.each([
    ['%', ['Li 50%']],
    ['_', ['Zhao_Q']],
    ['o_', ['Zhao_Q']],
  ])('q=%s lists only names that contain it literally', async (q, names) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/people?q=${encodeURIComponent(q)}`, headers })
    expect(res.statusCode).toBe(200)
    expect((res.json() as { name: string }[]).map((p) => p.name)).toEqual(names)
  })
})
