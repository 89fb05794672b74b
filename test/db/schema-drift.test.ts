import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { sql } from 'kysely'
import type { Database } from '../../server/src/db/database.js'
import { checkedLiterals, generateSchema } from '../../server/src/db/schema-codegen.js'
import { testDatabase } from '../helpers/database.js'
import { ROOT } from '../helpers/templates.js'

const SCHEMA_FILE = path.join(ROOT, 'server/src/db/schema.ts')

let database: Database
let close: () => Promise<void>
beforeAll(async () => {
  // the owner, so the probe tables below may be created (and the catalogue read without role limits)
  ;({ database, close } = await testDatabase('empty', { as: 'owner' }))
})
afterAll(async () => close())

/** The schema text with `ddl` applied, rolled back afterwards so the database stays as migrated. */
async function schemaWith(ddl: string): Promise<string> {
  let text = ''
  const rollback = new Error('rollback')
  await database.db
    .transaction()
    .execute(async (tx) => {
      await sql.raw(ddl).execute(tx)
      text = await generateSchema(tx)
      throw rollback
    })
    .catch((e) => {
      if (e !== rollback) throw e
    })
  return text
}

describe('server/src/db/schema.ts', () => {
  it('is exactly what `npm run db:types` generates from the migrated database', async () => {
    const generated = await generateSchema(database.db)
    const committed = readFileSync(SCHEMA_FILE, 'utf8')
    expect(
      generated,
      'server/src/db/schema.ts does not match the migrations: run `npm run db:types` and commit the result',
    ).toBe(committed)
  })
})

describe('generateSchema', () => {
  it('types each column from its type, nullability, default, CHECK … IN list and generation', async () => {
    const text = await schemaWith(`
      CREATE TABLE codegen_probe (
        id         bigserial PRIMARY KEY,
        kind       text NOT NULL CHECK (kind IN ('a', 'b')),
        size       text CHECK (size IN ('small', 'large')),
        note       text,
        at         timestamptz NOT NULL,
        seen_at    timestamptz NOT NULL DEFAULT now(),
        gone_at    timestamptz,
        shape      geometry(Polygon, 4326),
        centre     geometry(Point, 4326) GENERATED ALWAYS AS (ST_Centroid(shape)) STORED,
        payload    jsonb,
        day        date NOT NULL,
        n          smallint NOT NULL DEFAULT 0 CHECK (n BETWEEN 0 AND 9),
        ratio      numeric NOT NULL,
        raw        bytea NOT NULL
      )`)
    const probe = text.slice(text.indexOf('export interface CodegenProbeTable {'))
    expect(probe.slice(0, probe.indexOf('}') + 1)).toBe(
      [
        'export interface CodegenProbeTable {',
        '  id: Generated<number>',
        "  kind: 'a' | 'b'",
        "  size: 'small' | 'large' | null",
        '  note: string | null',
        '  at: RequiredTimestamp',
        '  seen_at: Timestamp',
        '  gone_at: Date | null',
        '  shape: Geometry | null',
        '  centre: ColumnType<string, never, never> | null',
        '  payload: Json<unknown> | null',
        '  day: string',
        '  n: Generated<number>',
        '  ratio: number',
        '  raw: Uint8Array',
        '}',
      ].join('\n'),
    )
    expect(text).toContain('  codegen_probe: CodegenProbeTable\n}\n')
  })

  it('refuses a column type it has no TypeScript type for, naming the column', async () => {
    await expect(schemaWith('CREATE TABLE codegen_probe (token uuid NOT NULL)')).rejects.toThrow(
      'no TypeScript type for codegen_probe.token (uuid)',
    )
  })

  it('leaves out the tables of extensions (PostGIS spatial_ref_sys)', async () => {
    const text = await generateSchema(database.db)
    expect(text).not.toContain('spatial_ref_sys')
    expect(text).toContain('  grid_cells: GridCellsTable\n')
  })
})

describe('checkedLiterals', () => {
  it('reads the values of the IN list PostgreSQL prints as = ANY (ARRAY[…])', () => {
    const def = "CHECK ((role = ANY (ARRAY['grid_chief'::text, 'it''s'::text])))"
    expect(checkedLiterals(def, 'role')).toEqual(['grid_chief', "it's"])
    expect(checkedLiterals(def, 'other')).toBeNull()
    expect(checkedLiterals('CHECK (((level >= 1) AND (level <= 8)))', 'level')).toBeNull()
  })
})
