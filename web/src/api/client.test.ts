import { describe, expect, it } from 'vitest'
import { ApiClient, ApiError, flagExportUrl, formatBbox, queryString, toApiError } from './client.js'

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
    const e = toApiError(
      400,
      'Bad Request',
      JSON.stringify({
        error: {
          code: 'invalid_bbox',
          message: 'querystring parameter "bbox" has min greater than max',
          details: { a: 1 },
        },
      }),
    )
    expect(e).toBeInstanceOf(ApiError)
    expect(e.status).toBe(400)
    expect(e.code).toBe('invalid_bbox')
    expect(e.message).toBe('querystring parameter "bbox" has min greater than max')
    expect(e.details).toEqual({ a: 1 })
  })

  it('says what it can when the body is not the error shape', () => {
    expect(toApiError(502, 'Bad Gateway', '<html>upstream down</html>').message).toBe(
      'HTTP 502 Bad Gateway: <html>upstream down</html>',
    )
    expect(toApiError(500, '', '').message).toBe('HTTP 500')
    expect(toApiError(404, 'Not Found', '{"other":1}').code).toBe('http_404')
  })
})

describe('ApiClient', () => {
  it('parses parcels and the total count header', async () => {
    const f = fakeFetch(() =>
      json({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: null, properties: { id: 1 } }] }, 200, {
        'x-total-count': '4711',
      }),
    )
    const api = new ApiClient({ fetch: f.fn })
    const { collection, total } = await api.parcels({ bbox: [113.0000001, 35, 113.1, 35.1], limit: 100 })
    expect(collection.features).toHaveLength(1)
    expect(total).toBe(4711)
    expect(f.calls[0]!.url).toBe('/api/parcels?bbox=113%2C35%2C113.1%2C35.1&limit=100')
  })

  it('sends the CSRF token from sign-in with state-changing requests only', async () => {
    const f = fakeFetch((url, init) => {
      if (url === '/api/session' && init.method === 'POST')
        return json({ user: { id: 1 }, csrfToken: 'tok-1', expiresAt: '2030-01-01T00:00:00Z' })
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
    const anon = new ApiClient({
      fetch: fakeFetch(() => json({ error: { code: 'unauthorized', message: 'not signed in' } }, 401)).fn,
    })
    expect(await anon.session()).toBeNull()
    const signed = new ApiClient({
      fetch: fakeFetch(() => json({ user: { id: 2, login: 'x' }, csrfToken: 'tok-2', expiresAt: 'x' })).fn,
    })
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
    await expect(api.mapConfig()).rejects.toMatchObject({
      status: 0,
      code: 'network_error',
      message: 'cannot reach the server (Failed to fetch)',
    })
  })

  it('passes an abort through untouched so callers can ignore it', async () => {
    const api = new ApiClient({
      fetch: (() => Promise.reject(new DOMException('aborted', 'AbortError'))) as typeof fetch,
    })
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
    expect(f.calls.map((c) => c.url)).toEqual([
      '/api/cells/41%2F08',
      '/api/accountability?lon=113.1234568&lat=35.1',
      '/api/coverage?cell=410822101',
    ])
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

describe('ApiClient: edits and flags', () => {
  const session = () => json({ user: { id: 1 }, csrfToken: 'tok', expiresAt: 'x' })

  it('previews and applies an edit as JSON with the CSRF token', async () => {
    const f = fakeFetch((url) =>
      url === '/api/session'
        ? session()
        : json({
            operation: 'delete',
            applied: false,
            cells: [],
            parcels: [],
            gaps: {},
            overlaps: {},
            endedResponsibilities: [],
          }),
    )
    const api = new ApiClient({ fetch: f.fn })
    await api.signIn('a', 'b')
    await api.previewEdit({ operation: 'delete', cellCode: 'X', version: 3, reason: 'r' })
    await api.applyEdit({ operation: 'delete', cellCode: 'X', version: 3, reason: 'r' })
    expect(f.calls.slice(1).map((c) => [c.url, c.init.method])).toEqual([
      ['/api/edits/preview', 'POST'],
      ['/api/edits', 'POST'],
    ])
    expect((f.calls[1]!.init.headers as Record<string, string>)['x-csrf-token']).toBe('tok')
    expect(JSON.parse(String(f.calls[1]!.init.body))).toEqual({
      operation: 'delete',
      cellCode: 'X',
      version: 3,
      reason: 'r',
    })
  })

  it('reports a flag as multipart/form-data: fields as text, photos as files, no JSON content type', async () => {
    const f = fakeFetch(() => json({ id: 9, state: 'reported' }, 201))
    const api = new ApiClient({ fetch: f.fn })
    const photo = new File([new Uint8Array([0x89, 0x50])], 'a.png', { type: 'image/png' })
    const r = await api.reportFlag({
      category: 'dumping',
      description: 'x',
      location: { lon: 113.123456789, lat: 35.1 },
      photos: [photo],
      confirmNotDuplicate: true,
    })
    expect(r).toMatchObject({ kind: 'created', flag: { id: 9 } })
    const init = f.calls[0]!.init
    expect((init.headers as Record<string, string>)['content-type']).toBeUndefined()
    const form = init.body as FormData
    expect(form.get('category')).toBe('dumping')
    expect(form.get('lon')).toBe('113.1234568')
    expect(form.get('confirmNotDuplicate')).toBe('true')
    expect(form.get('geometry')).toBeNull()
    expect((form.get('photos') as File).name).toBe('a.png')
  })

  it('sends an area as GeoJSON text, and reads a same-as answer', async () => {
    const f = fakeFetch(() => json({ sameAs: true, eventId: 4, flag: { id: 7 } }))
    const api = new ApiClient({ fetch: f.fn })
    const area = {
      type: 'Polygon' as const,
      coordinates: [
        [
          [113, 35],
          [113.1, 35],
          [113.1, 35.1],
          [113, 35],
        ],
      ],
    }
    const r = await api.reportFlag({ category: 'dust', location: { geometry: area }, sameAs: 7 })
    expect(r).toEqual({ kind: 'same_as', eventId: 4, flag: { id: 7 } })
    const form = f.calls[0]!.init.body as FormData
    expect(JSON.parse(String(form.get('geometry')))).toEqual(area)
    expect(form.get('sameAs')).toBe('7')
    expect(form.get('lon')).toBeNull()
  })

  it('keeps a 409 possible_duplicate with its candidates', async () => {
    const api = new ApiClient({
      fetch: fakeFetch(() =>
        json(
          { error: { code: 'possible_duplicate', message: '1 open flag near', details: { candidates: [{ id: 3 }] } } },
          409,
        ),
      ).fn,
    })
    await expect(api.reportFlag({ category: 'dust', location: { lon: 1, lat: 2 } })).rejects.toMatchObject({
      status: 409,
      code: 'possible_duplicate',
      details: { candidates: [{ id: 3 }] },
    })
  })

  it('shapes each workflow action as the server wants it', async () => {
    const f = fakeFetch(() => json({ id: 1 }))
    const api = new ApiClient({ fetch: f.fn })
    await api.flagAction(1, 'acknowledge', { version: 2 })
    await api.flagAction(1, 'reject', { version: 2, comment: ' not ours ' })
    await api.flagAction(1, 'return', { version: 3, comment: 'redo' })
    await api.flagAction(1, 'feedback', { version: 4, comment: 'cleaned', photos: [] })
    expect(f.calls.map((c) => c.url)).toEqual([
      '/api/flags/1/acknowledge',
      '/api/flags/1/reject',
      '/api/flags/1/return',
      '/api/flags/1/feedback',
    ])
    expect(JSON.parse(String(f.calls[0]!.init.body))).toEqual({ version: 2 })
    expect(JSON.parse(String(f.calls[1]!.init.body))).toEqual({ version: 2, reason: 'not ours' })
    expect(JSON.parse(String(f.calls[2]!.init.body))).toEqual({ version: 3, comment: 'redo' })
    const form = f.calls[3]!.init.body as FormData
    expect([form.get('version'), form.get('note')]).toEqual(['4', 'cleaned'])
  })

  it('builds list queries and export links from the filters', async () => {
    const f = fakeFetch(() => json({ total: 0, limit: 100, offset: 0, flags: [] }))
    const api = new ApiClient({ fetch: f.fn })
    await api.flags({ state: ['dispatched', 'in_progress'], overdue: true, township: '410822103', limit: 50 })
    expect(f.calls[0]!.url).toBe('/api/flags?state=dispatched%2Cin_progress&township=410822103&overdue=true&limit=50')
    expect(flagExportUrl('csv', { category: 'dust', mine: true })).toBe(
      '/api/flags/export?format=csv&category=dust&mine=true',
    )
  })
})
