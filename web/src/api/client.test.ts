import { describe, expect, it } from 'vitest'
import { ApiClient, ApiError, formatBbox, queryString, toApiError } from './client.js'

/** A fetch stand-in that records requests and answers from a table. */
function fakeFetch(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init: RequestInit }[] = []
  const fn = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input)
    calls.push({ url, init: init ?? {} })
    return answer(url, init ?? {})
  }) as typeof fetch
  return { fn, calls }
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } })

describe('toApiError', () => {
  it("keeps the server's code, message and details", () => {
    const e = toApiError(400, 'Bad Request', JSON.stringify({ error: { code: 'invalid_bbox', message: 'querystring parameter "bbox" has min greater than max', details: { a: 1 } } }))
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(400)
    expect(e.code).toBe('invalid_bbox')
    expect(e.message).toBe('querystring parameter "bbox" has min greater than max')
    expect(e.details).toEqual({ a: 1 })
  })

  it('says what it can when the body is not the error shape', () => {
    expect(toApiError(502, 'Bad Gateway', '<html>upstream down</html>').message).toBe('HTTP 502 Bad Gateway: <html>upstream down</html>')
    expect(toApiError(500, '', '').message).toBe('HTTP 500')
    expect(toApiError(404, 'Not Found', '{"other":1}').code).toBe('http_404')
  })
})

describe('ApiClient', () => {
  it('parses parcels and the total count header', async () => {
    const f = fakeFetch(() => json({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: null, properties: { id: 1 } }] }, 200, { 'x-total-count': '4711' }))
    const api = new ApiClient({ fetch: f.fn })
    const { collection, total } = await api.parcels({ bbox: [113.0000001, 35, 113.1, 35.1], limit: 100 })
    expect(collection.features).toHaveLength(1)
    expect(total).toBe(4711)
    expect(f.calls[0]!.url).toBe('/api/parcels?bbox=113%2C35%2C113.1%2C35.1&limit=100')
  })

  it('sends the CSRF token from sign-in with state-changing requests only', async () => {
    const f = fakeFetch((url, init) => {
      if (url === '/api/session' && init.method === 'POST') return json({ user: { id: 1 }, csrfToken: 'tok-1', expiresAt: '2030-01-01T00:00:00Z' })
      return new Response(null, { status: 204 })
    })
    const api = new ApiClient({ fetch: f.fn })
    await api.signIn('demo-admin', 'pw')
    expect((f.calls[0]!.init.headers as Record<string, string>)['x-csrf-token']).toBeUndefined()
    expect(JSON.parse(String(f.calls[0]!.init.body))).toEqual({ login: 'demo-admin', password: 'pw' })
    await api.signOut()
    expect(f.calls[1]!.init.method).toBe('DELETE')
    expect((f.calls[1]!.init.headers as Record<string, string>)['x-csrf-token']).toBe('tok-1')
  })

  it('turns a 401 on GET /api/session into "not signed in" and restores the token otherwise', async () => {
    const anon = new ApiClient({ fetch: fakeFetch(() => json({ error: { code: 'unauthorized', message: 'not signed in' } }, 401)).fn })
    expect(await anon.session()).toBeNull()
    const signed = new ApiClient({ fetch: fakeFetch(() => json({ user: { id: 2, login: 'x' }, csrfToken: 'tok-2', expiresAt: 'x' })).fn })
    expect((await signed.session())?.csrfToken).toBe('tok-2')
  })

  it("throws the server's message and tells the app about a 401", async () => {
    let told = 0
    const api = new ApiClient({
      fetch: fakeFetch(() => json({ error: { code: 'unauthorized', message: 'sign in first' } }, 401)).fn,
      onUnauthorized: () => told++,
    })
    await expect(api.regions()).rejects.toMatchObject({ status: 401, code: 'unauthorized', message: 'sign in first' })
    expect(told).toBe(1)
  })

  it('reports a network failure as such', async () => {
    const api = new ApiClient({ fetch: (() => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch })
    await expect(api.mapConfig()).rejects.toMatchObject({ status: 0, code: 'network_error', message: 'cannot reach the server (Failed to fetch)' })
  })

  it('passes an abort through untouched so callers can ignore it', async () => {
    const api = new ApiClient({ fetch: (() => Promise.reject(new DOMException('aborted', 'AbortError'))) as typeof fetch })
    await expect(api.search('x')).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('rejects a success response that is not JSON', async () => {
    const api = new ApiClient({ fetch: fakeFetch(() => new Response('<html>', { status: 200 })).fn })
    await expect(api.regions()).rejects.toMatchObject({ code: 'invalid_response' })
  })

  it('encodes path segments and rounds coordinates', async () => {
    const f = fakeFetch(() => json({}))
    const api = new ApiClient({ fetch: f.fn })
    await api.cell('41/08')
    await api.accountability(113.123456789, 35.1)
    await api.coverage({ cell: '410822101' })
    expect(f.calls.map((c) => c.url)).toEqual(['/api/cells/41%2F08', '/api/accountability?lon=113.1234568&lat=35.1', '/api/coverage?cell=410822101'])
  })
})

describe('query helpers', () => {
  it('drops empty values', () => {
    expect(queryString({ a: 1, b: undefined, c: null, d: '', e: 'x y' })).toBe('?a=1&e=x+y')
    expect(queryString({})).toBe('')
  })
  it('formats a bbox with 6 decimals', () => {
    expect(formatBbox([113.12345678, 35, 113.2, 35.3])).toBe('113.123457,35,113.2,35.3')
  })
})
