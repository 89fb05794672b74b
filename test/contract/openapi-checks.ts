// What the OpenAPI drift test checks, as plain functions over JSON (so they can be tested on their own).

/** A parsed JSON value (an OpenAPI document or a part of it). */
export type Json = unknown
type JsonObject = { [key: string]: unknown }

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)

/** OpenAPI path and method → the contract's key: 'GET /api/cells/:code'. */
export const routeKey = (method: string, path: string) =>
  `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`

/** Every place two JSON values differ, as "path: what" lines (empty when they are equal). */
export function jsonDifferences(served: Json, expected: Json, path = ''): string[] {
  if (served === undefined && expected === undefined) return []
  if (served === undefined) return [`${path || '(root)'}: in the contract, not served`]
  if (expected === undefined) return [`${path || '(root)'}: served, not in the contract`]
  if (Array.isArray(served) && Array.isArray(expected)) {
    if (served.length !== expected.length)
      return [`${path}: served ${JSON.stringify(served)}, contract ${JSON.stringify(expected)}`]
    return served.flatMap((v, i) => jsonDifferences(v, expected[i], `${path}[${i}]`))
  }
  if (isObject(served) && isObject(expected)) {
    const keys = [...new Set([...Object.keys(served), ...Object.keys(expected)])].sort()
    return keys.flatMap((k) => jsonDifferences(served[k], expected[k], path ? `${path}.${k}` : k))
  }
  return served === expected ? [] : [`${path}: served ${JSON.stringify(served)}, contract ${JSON.stringify(expected)}`]
}

/**
 * Where a schema lets anything through: `additionalProperties: true`, an object without properties,
 * or a schema that names no type at all (TypeBox's Unknown and Any). `allowed` lists property paths
 * that are open by design.
 */
export function openPlaces(schema: Json, path: string, allowed: string[] = []): string[] {
  if (!isObject(schema)) return []
  if (allowed.some((a) => path.endsWith(a))) return []
  const found: string[] = []
  const combinators = ['anyOf', 'oneOf', 'allOf'] as const
  const named = ['type', 'const', 'enum', '$ref', 'not', ...combinators].some((k) => k in schema)
  if (!named) found.push(`${path}: any value (no type)`)
  if (schema.additionalProperties === true) found.push(`${path}: additionalProperties is true`)
  const type = schema.type
  const isObjectType = type === 'object' || (Array.isArray(type) && type.includes('object'))
  // a map names the type of its values (additionalProperties or patternProperties as a schema); the
  // null of a nullable union becomes { type: 'object', nullable: true, enum: [null] } in OpenAPI 3.0
  const describesFields = ['properties', 'patternProperties', 'additionalProperties', 'enum', 'const'].some((k) =>
    k === 'enum' || k === 'const' ? k in schema : isObject(schema[k]),
  )
  if (isObjectType && !describesFields) found.push(`${path}: an object without properties`)
  if (isObject(schema.properties))
    for (const [k, v] of Object.entries(schema.properties)) found.push(...openPlaces(v, `${path}.${k}`, allowed))
  if (isObject(schema.patternProperties))
    for (const [k, v] of Object.entries(schema.patternProperties))
      found.push(...openPlaces(v, `${path}[${k}]`, allowed))
  if (isObject(schema.additionalProperties))
    found.push(...openPlaces(schema.additionalProperties, `${path}[*]`, allowed))
  if (isObject(schema.items)) found.push(...openPlaces(schema.items, `${path}[]`, allowed))
  for (const c of combinators) {
    const options = schema[c]
    if (Array.isArray(options)) options.forEach((o, i) => found.push(...openPlaces(o, `${path}<${c}${i}>`, allowed)))
  }
  return found
}

/** The schemas of an operation's responses, by status code and media type. */
export function responseSchemas(operation: JsonObject): { status: string; schema: Json }[] {
  const responses = isObject(operation.responses) ? operation.responses : {}
  return Object.entries(responses).flatMap(([status, response]) => {
    if (!isObject(response) || !isObject(response.content)) return []
    return Object.entries(response.content).flatMap(([mediaType, media]) =>
      isObject(media) && media.schema !== undefined ? [{ status: `${status} ${mediaType}`, schema: media.schema }] : [],
    )
  })
}
