// A typed client for the everyinch API. Every failure becomes an ApiError carrying the server's own
// message ({ error: { code, message, details } }), so the interface can show it rather than a blank.
import type {
  Bbox,
  CellCollection,
  CellDetail,
  CellVersion,
  ContextCollection,
  CoverageReport,
  EditRequest,
  EditResult,
  FlagAction,
  FlagCategory,
  FlagCollection,
  FlagDetail,
  FlagFilters,
  FlagInbox,
  FlagList,
  FlagReport,
  FlagReportResult,
  MapConfig,
  ObjectCollection,
  ObjectDetail,
  ObjectTypes,
  ParcelAccountability,
  ParcelCollection,
  ParcelStatus,
  PersonDetail,
  PersonListItem,
  PointAccountability,
  Region,
  RegionOutline,
  Responsibility,
  Role,
  SearchHit,
  Session,
} from './types.js'

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** Maps a non-2xx response to an ApiError: the server's message when it sent the error shape. */
export function toApiError(status: number, statusText: string, body: string): ApiError {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: unknown; message?: unknown; details?: unknown } }
    const e = parsed?.error
    if (e && typeof e.message === 'string' && e.message) {
      return new ApiError(status, typeof e.code === 'string' ? e.code : 'error', e.message, e.details)
    }
  } catch {
    // not JSON: fall through
  }
  const text = body.trim().replace(/\s+/g, ' ').slice(0, 200)
  return new ApiError(
    status,
    `http_${status}`,
    `HTTP ${status}${statusText ? ` ${statusText}` : ''}${text ? `: ${text}` : ''}`,
  )
}

export const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError'

type Query = Record<string, string | number | boolean | undefined | null>

export function queryString(q: Query | undefined): string {
  if (!q) return ''
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  const s = params.toString()
  return s ? `?${s}` : ''
}

export const formatBbox = (b: Bbox | number[]) => b.map((n) => Number(n.toFixed(6))).join(',')

export interface ApiResponse<T> {
  data: T
  headers: Headers
}

export interface ClientOptions {
  baseUrl?: string
  fetch?: typeof fetch
  /** called on any 401 so the app can show the sign-in form */
  onUnauthorized?: (error: ApiError) => void
}

export class ApiClient {
  private csrfToken: string | null = null
  /** the GET URLs answered so far (at most 500), which the service worker keeps on its first run */
  readonly reads = new Set<string>()
  private readonly baseUrl: string
  private readonly fetchImpl: typeof fetch

  constructor(private readonly options: ClientOptions = {}) {
    this.baseUrl = options.baseUrl ?? ''
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init))
  }

  /** `body` goes as JSON; `form` as multipart/form-data (the browser sets the boundary). */
  async request<T>(
    method: string,
    path: string,
    o: { query?: Query; body?: unknown; form?: FormData; signal?: AbortSignal; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { accept: 'application/json', ...o.headers }
    if (o.body !== undefined && !o.form) headers['content-type'] = 'application/json'
    if (method !== 'GET' && method !== 'HEAD' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken
    let res: Response
    try {
      res = await this.fetchImpl(this.baseUrl + path + queryString(o.query), {
        method,
        headers,
        body: o.form ?? (o.body === undefined ? undefined : JSON.stringify(o.body)),
        credentials: 'same-origin',
        signal: o.signal,
      })
    } catch (e) {
      if (isAbort(e)) throw e
      throw new ApiError(0, 'network_error', `cannot reach the server (${e instanceof Error ? e.message : String(e)})`)
    }
    const text = res.status === 204 ? '' : await res.text()
    if (res.ok && method === 'GET' && this.reads.size < 500) this.reads.add(path + queryString(o.query))
    if (!res.ok) {
      const error = toApiError(res.status, res.statusText, text)
      if (res.status === 401) this.options.onUnauthorized?.(error)
      throw error
    }
    let data: T
    try {
      data = (text ? JSON.parse(text) : null) as T
    } catch {
      throw new ApiError(res.status, 'invalid_response', `the server sent a response that is not JSON (${path})`)
    }
    return { data, headers: res.headers }
  }

  async get<T>(path: string, query?: Query, signal?: AbortSignal): Promise<T> {
    return (await this.request<T>('GET', path, { query, signal })).data
  }

  async post<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return (await this.request<T>('POST', path, { body, signal })).data
  }

  // --- session -----------------------------------------------------------------------------------
  async signIn(login: string, password: string): Promise<Session> {
    const s = (await this.request<Session>('POST', '/api/session', { body: { login, password } })).data
    this.csrfToken = s.csrfToken
    return s
  }

  /** The current session, or null when not signed in. */
  async session(): Promise<Session | null> {
    try {
      const s = (await this.request<Session>('GET', '/api/session')).data
      this.csrfToken = s.csrfToken
      return s
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null
      throw e
    }
  }

  async signOut(): Promise<void> {
    await this.request<null>('DELETE', '/api/session')
    this.csrfToken = null
  }

  // --- map data ------------------------------------------------------------------------------------
  mapConfig = () => this.get<MapConfig>('/api/map-config')
  regions = () => this.get<Region[]>('/api/regions')
  regionOutline = (code: string) => this.get<RegionOutline>(`/api/regions/${encodeURIComponent(code)}/outline`)
  contextAreas = () => this.get<ContextCollection>('/api/context-areas')

  cells(
    q: { region?: string; level?: number; parent?: string; bbox?: Bbox; simplify?: number; limit?: number },
    signal?: AbortSignal,
  ) {
    return this.get<CellCollection>('/api/cells', { ...q, bbox: q.bbox ? formatBbox(q.bbox) : undefined }, signal)
  }

  cell = (code: string, signal?: AbortSignal) =>
    this.get<CellDetail>(`/api/cells/${encodeURIComponent(code)}`, undefined, signal)

  /** Parcels in a bbox; `total` is how many matched before the limit (x-total-count). */
  async parcels(
    q: { bbox: Bbox; status?: ParcelStatus[]; limit?: number },
    signal?: AbortSignal,
  ): Promise<{ collection: ParcelCollection; total: number }> {
    const { data, headers } = await this.request<ParcelCollection>('GET', '/api/parcels', {
      query: { bbox: formatBbox(q.bbox), status: q.status?.join(','), limit: q.limit },
      signal,
    })
    const total = Number(headers.get('x-total-count'))
    return { collection: data, total: Number.isFinite(total) ? total : data.features.length }
  }

  /** The supervision inventory in force (signed-in users only). */
  objectTypes = (signal?: AbortSignal) => this.get<ObjectTypes>('/api/object-types', undefined, signal)
  objectsGeojson = (signal?: AbortSignal) => this.get<ObjectCollection>('/api/objects', { limit: 20000 }, signal)
  objectDetail = (id: number, signal?: AbortSignal) => this.get<ObjectDetail>(`/api/objects/${id}`, undefined, signal)
  parcelAccountability = (id: number, signal?: AbortSignal) =>
    this.get<ParcelAccountability>(`/api/parcels/${id}/accountability`, undefined, signal)
  accountability = (lon: number, lat: number, signal?: AbortSignal) =>
    this.get<PointAccountability>(
      '/api/accountability',
      { lon: Number(lon.toFixed(7)), lat: Number(lat.toFixed(7)) },
      signal,
    )
  coverage = (scope: { region: string } | { cell: string }, signal?: AbortSignal) =>
    this.get<CoverageReport>('/api/coverage', scope, signal)
  search = (q: string, signal?: AbortSignal) => this.get<SearchHit[]>('/api/search', { q, limit: 8 }, signal)
  person = (id: number, signal?: AbortSignal) => this.get<PersonDetail>(`/api/people/${id}`, undefined, signal)
  people = (q: string, signal?: AbortSignal) => this.get<PersonListItem[]>('/api/people', { q, limit: 20 }, signal)

  // --- boundary edits and responsibilities (admin) ----------------------------------------------
  /** Runs the edit and rolls it back: what saving would change. */
  previewEdit = (request: EditRequest, signal?: AbortSignal) =>
    this.post<EditResult>('/api/edits/preview', request, signal)
  applyEdit = (request: EditRequest) => this.post<EditResult>('/api/edits', request)
  cellHistory = (code: string, signal?: AbortSignal) =>
    this.get<CellVersion[]>(`/api/cells/${encodeURIComponent(code)}/history`, undefined, signal)
  assignResponsibility = (body: {
    personId: number
    cellCode: string
    role: Role
    startsOn: string
    endsOn?: string | null
    reason?: string
  }) => this.post<Responsibility>('/api/responsibilities', body)
  endResponsibility = (id: number, endsOn: string, reason?: string) =>
    this.post<Responsibility>(`/api/responsibilities/${id}/end`, { endsOn, reason })

  // --- flags -------------------------------------------------------------------------------------
  flagCategories = (signal?: AbortSignal) => this.get<FlagCategory[]>('/api/flags/categories', undefined, signal)
  flag = (id: number, signal?: AbortSignal) => this.get<FlagDetail>(`/api/flags/${id}`, undefined, signal)
  flags = (f: FlagFilters & { limit?: number; offset?: number }, signal?: AbortSignal) =>
    this.get<FlagList>('/api/flags', flagQuery(f), signal)
  flagInbox = (f: Pick<FlagFilters, 'state' | 'category' | 'overdue'> = {}, signal?: AbortSignal) =>
    this.get<FlagInbox>('/api/flags/inbox', flagQuery(f), signal)
  flagsGeojson = (f: FlagFilters = {}, signal?: AbortSignal) =>
    this.get<FlagCollection>('/api/flags.geojson', flagQuery(f), signal)

  /**
   * Reports a flag as multipart/form-data (photos as files, no base64 overhead). A 409
   * possible_duplicate comes back as an ApiError whose details list the candidates.
   */
  async reportFlag(r: FlagReport): Promise<FlagReportResult> {
    const form = new FormData()
    form.set('category', r.category)
    if (r.description) form.set('description', r.description)
    if ('geometry' in r.location) form.set('geometry', JSON.stringify(r.location.geometry))
    else {
      form.set('lon', String(Number(r.location.lon.toFixed(7))))
      form.set('lat', String(Number(r.location.lat.toFixed(7))))
    }
    if (r.confirmNotDuplicate) form.set('confirmNotDuplicate', 'true')
    if (r.sameAs !== undefined) form.set('sameAs', String(r.sameAs))
    for (const file of r.photos ?? []) form.append('photos', file, file.name)
    const { data } = await this.request<FlagDetail | { sameAs: true; eventId: number; flag: FlagDetail }>(
      'POST',
      '/api/flags',
      { form, headers: r.idempotencyKey ? { 'idempotency-key': r.idempotencyKey } : undefined },
    )
    return 'sameAs' in data && data.sameAs === true
      ? { kind: 'same_as', eventId: data.eventId, flag: data.flag }
      : { kind: 'created', flag: data as FlagDetail }
  }

  /** A workflow action. Feedback may carry photos (then it goes as multipart/form-data). */
  async flagAction(
    id: number,
    action: FlagAction,
    o: { version: number; comment?: string; photos?: File[] },
  ): Promise<FlagDetail> {
    const path = `/api/flags/${id}/${action}`
    const comment = o.comment?.trim() || undefined
    if (action === 'feedback') {
      const form = new FormData()
      form.set('version', String(o.version))
      form.set('note', comment ?? '')
      for (const file of o.photos ?? []) form.append('photos', file, file.name)
      return (await this.request<FlagDetail>('POST', path, { form })).data
    }
    const body =
      action === 'reject'
        ? { version: o.version, reason: comment ?? '' }
        : { version: o.version, ...(comment !== undefined ? { comment } : {}) }
    return this.post<FlagDetail>(path, body)
  }
}

/** The list filters as the flag endpoints take them (states comma-separated). */
export function flagQuery(f: FlagFilters & { limit?: number; offset?: number }): Query {
  return {
    state: f.state?.length ? f.state.join(',') : undefined,
    category: f.category,
    township: f.township,
    overdue: f.overdue,
    mine: f.mine,
    limit: f.limit,
    offset: f.offset,
  }
}

/** Download link of the filtered flag list (GET /api/flags/export; the session cookie goes along). */
export function flagExportUrl(format: 'csv' | 'geojson', f: FlagFilters): string {
  return `/api/flags/export${queryString({ format, ...flagQuery(f) })}`
}
