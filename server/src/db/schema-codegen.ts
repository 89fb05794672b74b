// Writes schema.ts from a migrated database's catalogue (`npm run db:types`; test/db/schema-drift.test.ts
// fails when the committed file differs). Reads pg_catalog rather than information_schema: the latter
// hides columns the connected role has no rights on, and the catalogue is the same on the embedded
// PGlite and on a server. What the catalogue cannot say (names of text unions, JSON shapes, columns a
// trigger fills) comes from the small tables below.
import { sql, type QueryExecutorProvider } from 'kysely'

/** Text columns whose CHECK (col IN (…)) union has a name the services import. */
const UNION_NAMES: Record<string, string> = {
  'responsibilities.role': 'Role',
  'parcels.land_use': 'LandUse',
  'flags.state': 'FlagState',
  'flags.routing_rule': 'RoutingRule',
  'flag_categories.ack_unit': 'LimitUnit',
  'flag_categories.complete_unit': 'LimitUnit',
  'users.role': 'UserRole',
  'parcel_matches.placement': 'Placement',
}

/** The shape of a JSON column's value (otherwise `unknown`). */
const JSON_SHAPES: Record<string, string> = {
  'parcel_matches.shares': '{ cellId: number; areaM2: number }[]',
}

/** NOT NULL columns without a default that a BEFORE INSERT trigger fills: optional on insert. */
const FILLED_BY_TRIGGER = new Set(['audit_log.chain_pos', 'audit_log.prev_hash', 'audit_log.hash'])

const COMMENTS: Record<string, string> = {
  'flags.version': '// added by 20261128000400_flags',
  'audit_log.chain_pos':
    '/** position in the hash chain, assigned by the insert trigger (see migrations/…_system_of_record.sql) */',
}

const HEADER = `// Table types, generated from the migrated database by \`npm run db:types\` (server/src/db/schema-codegen.ts).
// Do not edit by hand: test/db/schema-drift.test.ts fails when this file and the migrations disagree.
// Geometry columns are written through geomFromGeoJSON and read through asGeoJSON (postgis.ts), so their
// TypeScript type is the opaque string PostGIS hands back. Dates stay 'YYYY-MM-DD' strings and bigint
// and numeric are read as numbers (see the type parsers in database.ts).
import type { ColumnType, Generated } from 'kysely'

type Geometry = ColumnType<string, string, string>
/** timestamptz with a default: optional on insert */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
/** timestamptz without a default: every insert gives it */
type RequiredTimestamp = ColumnType<Date, Date | string, Date | string>
type Json<T> = ColumnType<T, string, string>
`

interface TableRow {
  oid: number
  name: string
}
interface ColumnRow {
  table_oid: number
  name: string
  type: string
  not_null: boolean
  has_default: boolean
  generated: string
}
interface CheckRow {
  table_oid: number
  column: string
  def: string
}

/** Select, insert and update types of a column before nullability and defaults are applied. */
interface Shape {
  select: string
  insert: string
  update: string
}

const plain = (t: string): Shape => ({ select: t, insert: t, update: t })

const BASE_TYPES: Record<string, Shape> = {
  int2: plain('number'),
  int4: plain('number'),
  int8: plain('number'),
  float4: plain('number'),
  float8: plain('number'),
  numeric: plain('number'),
  bool: plain('boolean'),
  text: plain('string'),
  varchar: plain('string'),
  date: plain('string'),
  bytea: plain('Uint8Array'),
  timestamptz: { select: 'Date', insert: 'Date | string', update: 'Date | string' },
  geometry: plain('string'),
}

/** Shapes printed by an alias declared in HEADER; the key is select|insert|update. */
const ALIASES: Record<string, string> = {
  'string|string|string#geometry': 'Geometry',
  'Date|Date | string | undefined|Date | string': 'Timestamp',
  'Date|Date | string|Date | string': 'RequiredTimestamp',
}

const pascal = (name: string) => name.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())

/** The literals of `CHECK ((col = ANY (ARRAY['a'::text, …])))`, the form PostgreSQL prints `col IN ('a', …)` as. */
export function checkedLiterals(def: string, column: string): string[] | null {
  const m = /^CHECK \(+"?(\w+)"?\)? = ANY \(+ARRAY\[(.*)\]\)+$/.exec(def)
  if (!m || m[1] !== column) return null
  const literals = [...m[2]!.matchAll(/'((?:[^']|'')*)'::(?:text|character varying)/g)].map((l) => l[1]!)
  return literals.length ? literals.map((l) => l.replace(/''/g, "'")) : null
}

const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

function typeOf(column: ColumnRow, key: string, union: string | null): string {
  let shape: Shape
  if (column.type === 'json' || column.type === 'jsonb') {
    const value = JSON_SHAPES[key] ?? 'unknown'
    shape = { select: value, insert: 'string', update: 'string' }
  } else {
    const base = BASE_TYPES[column.type]
    if (!base) throw new Error(`schema-codegen: no TypeScript type for ${key} (${column.type}); add it to BASE_TYPES`)
    shape = union ? plain(union) : base
  }
  if (column.generated) return `ColumnType<${shape.select}, never, never>${column.not_null ? '' : ' | null'}`
  // a nullable timestamp reads as Date | null and is written as a Date (or null)
  if (!column.not_null) return `${column.type === 'timestamptz' ? 'Date' : printShape(shape, column)} | null`
  if (column.has_default || FILLED_BY_TRIGGER.has(key)) {
    if (shape.select === shape.insert && shape.insert === shape.update) return `Generated<${shape.select}>`
    shape = { ...shape, insert: `${shape.insert} | undefined` }
  }
  return printShape(shape, column)
}

function printShape(shape: Shape, column: ColumnRow): string {
  const key = `${shape.select}|${shape.insert}|${shape.update}`
  const alias = ALIASES[`${key}#${column.type}`] ?? ALIASES[key]
  if (alias) return alias
  if (column.type.startsWith('json') && shape.insert === 'string' && shape.update === 'string') {
    return `Json<${shape.select}>`
  }
  if (shape.select === shape.insert && shape.insert === shape.update) return shape.select
  return `ColumnType<${shape.select}, ${shape.insert}, ${shape.update}>`
}

function unionDeclaration(name: string, literals: string[]): string {
  const oneLine = `export type ${name} = ${literals.map(quote).join(' | ')}`
  if (oneLine.length <= 120) return oneLine
  return [`export type ${name} =`, ...literals.map((l) => `  | ${quote(l)}`)].join('\n')
}

/** The text of schema.ts for the database `db` is connected to (tables of the public schema, not extensions'). */
export async function generateSchema(db: QueryExecutorProvider): Promise<string> {
  // oid order is creation order, so tables appear in the order the migrations create them
  const { rows: tables } = await sql<TableRow>`
    SELECT c.oid::int8 AS oid, c.relname AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      AND NOT EXISTS (SELECT 1 FROM pg_depend d
                      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    ORDER BY c.oid`.execute(db)
  const oids = tables.map((t) => t.oid)
  const { rows: columns } = await sql<ColumnRow>`
    SELECT a.attrelid::int8 AS table_oid, a.attname AS name, t.typname AS type, a.attnotnull AS not_null,
           a.atthasdef AS has_default, a.attgenerated AS generated
    FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
    WHERE a.attrelid = ANY(${oids}::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attrelid, a.attnum`.execute(db)
  const { rows: checks } = await sql<CheckRow>`
    SELECT k.conrelid::int8 AS table_oid, a.attname AS column, pg_get_constraintdef(k.oid) AS def
    FROM pg_constraint k JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
    WHERE k.contype = 'c' AND k.conrelid = ANY(${oids}::oid[]) AND cardinality(k.conkey) = 1
    ORDER BY k.conrelid, a.attnum, k.conname`.execute(db)

  const declared = new Map<string, string>()
  const out: string[] = [HEADER]
  for (const table of tables) {
    const unions: string[] = []
    const lines: string[] = []
    for (const column of columns.filter((c) => Number(c.table_oid) === Number(table.oid))) {
      const key = `${table.name}.${column.name}`
      const literals = checks
        .filter((k) => Number(k.table_oid) === Number(table.oid) && k.column === column.name)
        .map((k) => checkedLiterals(k.def, column.name))
        .find((l) => l !== null)
      let union: string | null = null
      if (literals) {
        const name = UNION_NAMES[key]
        const declaration = name ? unionDeclaration(name, literals) : null
        if (name && declared.has(name) && declared.get(name) !== declaration) {
          throw new Error(`schema-codegen: ${key} and an earlier column share the name ${name} but not the values`)
        }
        if (name && declaration && !declared.has(name)) {
          declared.set(name, declaration)
          unions.push(declaration)
        }
        union = name ?? literals.map(quote).join(' | ')
      }
      const comment = COMMENTS[key]
      if (comment) lines.push(`  ${comment}`)
      lines.push(`  ${column.name}: ${typeOf(column, key, union)}`)
    }
    if (unions.length) out.push(`${unions.join('\n')}\n`)
    out.push(`export interface ${pascal(table.name)}Table {\n${lines.join('\n')}\n}\n`)
  }
  out.push(`export interface DB {\n${tables.map((t) => `  ${t.name}: ${pascal(t.name)}Table`).join('\n')}\n}\n`)
  return out.join('\n')
}
