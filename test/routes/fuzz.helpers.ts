// Request generators for the property-based route test (fuzz.test.ts). Routes and their parameters
// come from the app's own OpenAPI document, so a new route or parameter is fuzzed without touching
// this file. Each value is either plausible (from the schema and the test world, so requests reach
// the handlers) or nasty (the inputs that once gave 500s, and their relatives).
import fc from 'fast-check'

/** JSON Schema as @fastify/swagger prints it (only what the generators read). */
export interface Schema {
  type?: string | string[]
  properties?: Record<string, Schema>
  required?: string[]
  /** one schema, or one per position (a tuple) */
  items?: Schema | Schema[]
  anyOf?: Schema[]
  /** a union tagged by one property (the edit request) */
  oneOf?: Schema[]
  enum?: unknown[]
  const?: unknown
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  format?: string
  nullable?: boolean
}

export interface RouteSpec {
  method: string
  /** Fastify form: /api/cells/:code */
  url: string
  path: { name: string; schema: Schema }[]
  query: { name: string; schema: Schema; required: boolean }[]
  body?: Schema
  /** a streamed body (imports): sent as GeoJSON text */
  stream: boolean
}

interface OpenApi {
  paths: Record<
    string,
    Record<
      string,
      {
        description?: string
        parameters?: { name: string; in: string; required?: boolean; schema: Schema }[]
        requestBody?: { content: Record<string, { schema: Schema }> }
      }
    >
  >
}

/** Every operation of the OpenAPI document as a route spec. */
export function routesOf(doc: OpenApi): RouteSpec[] {
  const routes: RouteSpec[] = []
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = op.parameters ?? []
      const content = op.requestBody?.content ?? {}
      const json = content['application/json']?.schema
      routes.push({
        method: method.toUpperCase(),
        url: path.replace(/\{(\w+)\}/g, ':$1'),
        path: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, schema: p.schema })),
        query: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema, required: p.required === true })),
        body: json && json.type === 'object' && (json.properties || json.oneOf) ? json : undefined,
        // a streamed body has no schema; its route says which media types it reads
        stream: !json && /geo\+json/.test(op.description ?? ''),
      })
    }
  }
  return routes
}

// ---------------------------------------------------------------- nasty values

/** Stands for a number JSON.stringify cannot write; replaced by 1e400 (read back as Infinity) in the body text. */
export const JSON_INFINITY = '\u0001json-infinity\u0001'

/** Scalars as text: what a query string, a path or a JSON string can carry. */
export const NASTY_TEXT = [
  'Infinity',
  '-Infinity',
  'NaN',
  '1e20',
  '-1e20',
  '1e400',
  '-1',
  '0',
  '-0',
  '1.5',
  '0x10',
  '2147483647',
  '2147483648',
  '-2147483649',
  '9007199254740993',
  '\u0000',
  'R1\u0000',
  '%00',
  '%',
  '_',
  '%_%',
  '\\',
  "'",
  '"',
  "'; DROP TABLE users; --",
  '🙂',
  '𠀋𠀋',
  '\u202e',
  '\t',
  '\n',
  ' ',
  '',
  'x'.repeat(3000),
  '9999-12-31',
  '0000-01-01',
  '2026-02-30',
  '1899-12-31',
  '3000-01-01',
  '2026-13-01',
  '99999-01-01',
  '2026-1-1',
  'true',
  'null',
  '[]',
  '{}',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '%zz',
  '%E0%A4%A',
]

/** Sent as they are in a URL (not %-encoded): a NUL escape and malformed escapes. */
const RAW_IN_URL = new Set(['%00', '%zz', '%E0%A4%A'])

/** Values only a JSON body can carry. */
const NASTY_JSON: unknown[] = [
  JSON_INFINITY,
  -1,
  0,
  -0,
  1.5,
  1e20,
  -1e20,
  2 ** 31,
  2 ** 53 + 2,
  Number.MIN_VALUE,
  null,
  true,
  false,
  [],
  {},
  [1, 2],
  [[[]]],
  { '\u0000': 1 },
  { constructor: { prototype: {} } },
  ['\u0000'],
  '\ud800',
  { type: 'Point', coordinates: [JSON_INFINITY, 0] },
]

// ---------------------------------------------------------------- plausible values

export interface World {
  codes: string[]
  ids: number[]
  logins: string[]
  days: string[]
}

/** Plausible values by parameter name, where the name says more than the schema. */
function byName(name: string, world: World): fc.Arbitrary<unknown> | undefined {
  const n = name.toLowerCase()
  if (n === 'layer') return fc.constantFrom('cells', 'cells-2', 'parcels', 'gaps', 'overlaps', 'flags', 'roads')
  if (n === 'z') return fc.constantFrom('0', '10', '14', '22', '23')
  if (n === 'x') return fc.constantFrom('0', '13335', '833', '1')
  if (n === 'y') return fc.constantFrom('0', '6489', '405', '1')
  if (n === 'bbox') return fc.constantFrom('113,35,113.02,35.01', '-180,-90,180,90', '113.02,35,113,35.01', '1,2,3')
  if (n === 'month') return fc.constantFrom('2026-11', '2026-02', '1900-01', '2999-12')
  if (n === 'state') return fc.constantFrom('reported', 'dispatched,closed', 'nonsense')
  if (n === 'status') return fc.constantFrom('matched', 'straddling,unowned', 'inherited', 'nonsense')
  if (n === 'login') return fc.constantFrom(...world.logins)
  if (n === 'category') return fc.constantFrom('dust', 'odd_category', 'x')
  if (n === 'q') return fc.constantFrom('R1', 'Chief', 'P', '%', '_', 'Cell')
  if (
    n.endsWith('code') ||
    n === 'region' ||
    n === 'parent' ||
    n === 'cell' ||
    n === 'township' ||
    n === 'keepcode' ||
    n === 'mergecode'
  ) {
    return fc.constantFrom(...world.codes)
  }
  if (n === 'id' || n.endsWith('id')) return fc.constantFrom(...world.ids)
  if (n.endsWith('version')) return fc.constantFrom(1, 2, 3, 999)
  if (n === 'geometry' || n === 'line') return geometry()
  if (n === 'point') return fc.constantFrom([113.003, 35.003], [113.015, 35.005], [0, 0], [113.003, 35.003, 10])
  return undefined
}

function geometry(): fc.Arbitrary<unknown> {
  const ring = (x: number, y: number, d: number, z?: number) => {
    const p = (a: number, b: number) => (z === undefined ? [a, b] : [a, b, z])
    return [p(x, y), p(x + d, y), p(x + d, y + d), p(x, y + d), p(x, y)]
  }
  return fc.oneof(
    fc.record({
      type: fc.constant('Polygon'),
      coordinates: fc
        .tuple(fc.constantFrom(113.001, 113.012, 179.9995, -200), fc.constantFrom(35.001, 35.004, 95))
        .map(([x, y]) => [ring(x, y, 0.001)]),
    }),
    fc.constant({ type: 'Polygon', coordinates: [ring(113.002, 35.002, 0.001, 5)] }),
    fc.constant({
      type: 'Polygon',
      coordinates: [
        [
          [113, 35],
          [113.01, 35.01],
          [113.01, 35],
          [113, 35.01],
          [113, 35],
        ],
      ],
    }),
    fc.constant({ type: 'Point', coordinates: [113.003, 35.003] }),
    fc.constant({
      type: 'LineString',
      coordinates: [
        [113.005, 34.99],
        [113.005, 35.02],
      ],
    }),
    fc.constant({ type: 'MultiPolygon', coordinates: [] }),
    fc.constant({ type: 'Polygon', coordinates: [[[113, 35]]] }),
    fc.constant({ type: 'GeometryCollection', geometries: [] }),
    fc.constant({ type: 'Polygon', coordinates: 'nope' }),
  )
}

function day(): fc.Arbitrary<string> {
  return fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10))
}

/** A value that fits the schema (as far as a generator can tell), or one of the world's rows. */
export function plausible(name: string, schema: Schema, world: World): fc.Arbitrary<unknown> {
  const hinted = byName(name, world)
  const union = schema.anyOf ?? schema.oneOf
  if (hinted && !schema.enum && schema.const === undefined && !union) return hinted
  if (schema.enum) return fc.constantFrom(...schema.enum)
  if (schema.const !== undefined) return fc.constant(schema.const)
  if (union) return fc.oneof(...union.map((s) => plausible(name, s, world)))
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type
  switch (type) {
    case 'integer':
      return fc.integer({ min: Math.max(schema.minimum ?? -5, -1e6), max: Math.min(schema.maximum ?? 1e6, 1e6) })
    case 'number':
      return fc.double({
        min: Math.max(schema.minimum ?? -1e6, -1e6),
        max: Math.min(schema.maximum ?? 1e6, 1e6),
        noNaN: true,
      })
    case 'boolean':
      return fc.boolean()
    case 'string':
      if (schema.format === 'date') return fc.oneof(day(), fc.constantFrom(...world.days))
      return fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 20, 20),
        unit: 'grapheme',
      })
    case 'array':
      // cellCodes → cellCode, versions → version: the items' own hint
      if (Array.isArray(schema.items))
        return fc.tuple(...schema.items.map((s) => plausible(name.replace(/s$/, ''), s, world)))
      return fc.array(plausible(name.replace(/s$/, ''), schema.items ?? {}, world), {
        minLength: (schema as { minItems?: number }).minItems ?? 0,
        maxLength: 3,
      })
    case 'object':
      return objectOf(schema, world, 0.0)
    default:
      return fc.oneof(fc.constantFrom(...world.codes), geometry())
  }
}

/** A nasty value for a parameter: text for the URL, anything JSON can hold for a body. */
export function nasty(inBody: boolean): fc.Arbitrary<unknown> {
  const text = fc.constantFrom(...NASTY_TEXT)
  if (!inBody)
    return fc.oneof(
      { weight: 5, arbitrary: text },
      { weight: 1, arbitrary: fc.array(text, { minLength: 2, maxLength: 2 }) },
    )
  return fc.oneof(text, fc.constantFrom(...NASTY_JSON), fc.array(text, { minLength: 1, maxLength: 3 }))
}

/** A value that is plausible most of the time and nasty with probability `oddness`. */
export function valueFor(
  name: string,
  schema: Schema,
  world: World,
  oddness: number,
  inBody: boolean,
): fc.Arbitrary<unknown> {
  const weight = Math.round(oddness * 100)
  return fc.oneof(
    { weight: 100 - weight, arbitrary: plausible(name, schema, world) },
    { weight, arbitrary: nasty(inBody) },
  )
}

/** A body object: each property present (plausible or nasty), missing, or an unknown one added. */
export function objectOf(schema: Schema, world: World, oddness: number): fc.Arbitrary<Record<string, unknown>> {
  if (schema.oneOf) return fc.oneof(...schema.oneOf.map((s) => objectOf(s, world, oddness)))
  const props = Object.entries(schema.properties ?? {})
  const required = new Set(schema.required ?? [])
  const fields = props.map(([name, s]) =>
    fc.oneof(
      {
        weight: required.has(name) ? 8 : 4,
        arbitrary: valueFor(name, s, world, oddness, true).map((v) => [name, v] as const),
      },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
  )
  const extra = fc.option(
    fc.constantFrom<[string, unknown]>(['unexpected', 1], ['__proto__', { admin: true }], ['a\u0000', 'x']),
    { freq: 8 },
  )
  return fc.tuple(fc.tuple(...fields), extra).map(([entries, more]) => {
    const out: Record<string, unknown> = {}
    for (const e of entries) if (e) out[e[0]] = e[1]
    if (more)
      Object.defineProperty(out, more[0], { value: more[1], enumerable: true, writable: true, configurable: true })
    return out
  })
}

/** JSON text for a body, with JSON_INFINITY written as 1e400. */
export function bodyText(body: unknown): string {
  return JSON.stringify(body).replaceAll(JSON.stringify(JSON_INFINITY), '1e400')
}

/** A URL part: text percent-encoded, except the RAW_IN_URL escapes, sent as they are. */
export function encodePart(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  if (RAW_IN_URL.has(text)) return text
  try {
    return encodeURIComponent(text)
  } catch {
    return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '?'))
  }
}
