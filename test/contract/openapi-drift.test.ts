// The served OpenAPI document (/docs/json) against the API contract (server/src/contract): every route
// is in the contract, serves exactly the contract's schemas, has a schema for its success response,
// and no response schema lets an unnamed field through.
import Fastify from 'fastify'
import swagger from '@fastify/swagger'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTRACT_ROUTES, type RouteContract } from '../../server/src/contract/index.js'
import { testApp, type TestApp } from '../helpers/app.js'
import { jsonDifferences, openPlaces, responseSchemas, routeKey, type Json } from './openapi-checks.js'

/**
 * Open by design: the one error shape's `details` differ per error code (server/src/errors.ts), and a
 * flag event's `details` are what its action recorded in the audit trail, different per action.
 */
const OPEN_BY_DESIGN = ['.error.details', '.timeline[].details']

type Operation = { [key: string]: Json }
type Document = { paths: Record<string, Record<string, Operation>> }

/** Every operation of a document by contract key (HEAD routes are fastify's copies of GET). */
function operations(doc: Document): Map<string, Operation> {
  const found = new Map<string, Operation>()
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, operation] of Object.entries(methods))
      if (method !== 'head') found.set(routeKey(method, path), operation)
  return found
}

/** The document fastify-swagger makes of the contract alone: the same normalisation as the served one. */
async function contractDocument(): Promise<Document> {
  // the edit requests are discriminated unions: Ajv must know the keyword, as the app's does (app.ts)
  const app = Fastify({ ajv: { customOptions: { discriminator: true } } })
  await app.register(swagger, { openapi: { info: { title: 'contract', version: '0' } } })
  for (const [key, schema] of Object.entries(CONTRACT_ROUTES) as [string, RouteContract][]) {
    const [method, url] = key.split(' ') as [string, string]
    app.route({ method, url, schema, handler: async () => null })
  }
  await app.ready()
  const doc = app.swagger() as unknown as Document
  await app.close()
  return doc
}

/** What the drift test compares: requests and responses, not the words (summary, tags, description). */
const shapeOf = (operation: Operation) => ({
  parameters: operation.parameters,
  requestBody: operation.requestBody,
  responses: operation.responses,
})

describe('the served OpenAPI document and the contract', () => {
  let t: TestApp
  let served: Map<string, Operation>
  let contract: Map<string, Operation>

  beforeAll(async () => {
    t = await testApp()
    const response = await t.app.inject({ method: 'GET', url: '/docs/json' })
    expect(response.statusCode).toBe(200)
    served = operations(response.json() as Document)
    contract = operations(await contractDocument())
  })
  afterAll(() => t?.close())

  const contractRoutes = () => [...served.keys()]

  it('serves every route of the contract, and every route it serves is in the contract', () => {
    const notServed = [...contract.keys()].filter((k) => !served.has(k))
    const notInContract = contractRoutes().filter((k) => !contract.has(k))
    expect({ notServed, notInContract }).toEqual({ notServed: [], notInContract: [] })
  })

  it("serves each route's requests and responses exactly as the contract gives them", () => {
    const drift = contractRoutes()
      .filter((k) => contract.has(k))
      .flatMap((k) => jsonDifferences(shapeOf(served.get(k)!), shapeOf(contract.get(k)!)).map((d) => `${k} ${d}`))
    expect(drift).toEqual([])
  })

  it('gives every route a schema for its success response', () => {
    const missing = contractRoutes().filter((k) => {
      const responses = Object.entries((served.get(k)!.responses ?? {}) as Record<string, Json>)
      // 204 and 304 answer without a body: the status is the schema
      return !responses.some(
        ([status, r]) =>
          /^2\d\d$/.test(status) && (status === '204' || responseSchemas({ responses: { [status]: r } }).length > 0),
      )
    })
    expect(missing).toEqual([])
  })

  it('closes every response schema: no additionalProperties, no untyped value', () => {
    const open = contractRoutes().flatMap((k) =>
      responseSchemas(served.get(k)!).flatMap(({ status, schema }) =>
        openPlaces(schema, `${k} ${status}`, OPEN_BY_DESIGN),
      ),
    )
    expect(open).toEqual([])
  })
})

describe('the checks themselves', () => {
  it('find an open object, an untyped value and a difference, and name where', () => {
    const schema = {
      type: 'object',
      properties: {
        a: { type: 'object', additionalProperties: true },
        b: {},
        c: { type: 'array', items: { type: 'object' } },
        d: { anyOf: [{ type: 'string' }, { type: 'object', nullable: true, enum: [null] }] },
        e: { type: 'object', additionalProperties: { type: 'integer' } },
      },
    }
    expect(openPlaces(schema, 'X')).toEqual([
      'X.a: additionalProperties is true',
      'X.a: an object without properties',
      'X.b: any value (no type)',
      'X.c[]: an object without properties',
    ])
    expect(jsonDifferences({ p: { q: 1, r: 2 } }, { p: { q: 1, s: 2 } })).toEqual([
      'p.r: served, not in the contract',
      'p.s: in the contract, not served',
    ])
    expect(routeKey('get', '/tiles/{layer}/{z}.pbf')).toBe('GET /tiles/:layer/:z.pbf')
  })
})
