// Vector tiles: layer names and tile addresses checked, tiles built by one SQL statement each
// (tiles.repository), encoded by ST_AsMVT on the server or in Node on the embedded database, and kept
// in an in-process LRU cache keyed by the data version (data-version.ts), so a write makes every
// cached tile unreachable at once.
//
// The gaps and overlaps layers come from the coverage analysis (the same repository functions as
// GET /api/coverage), run once per data version for every region and kept in memory: a per-tile
// coverage analysis would have to union every child of every parent that reaches into the tile, which
// at low zoom is the whole region (seconds per tile). The pieces are few (defects), so each tile query
// gets the ones whose bounding box meets the tile as a parameter and clips/encodes them like any layer.
import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import { LRUCache } from 'lru-cache'
import type { DB } from '../db/schema.js'
import { gaps, overlaps } from '../db/repositories/coverage.repository.js'
import { listRegions } from '../db/repositories/regions.repository.js'
import {
  mvtTile,
  tileBounds4326,
  tileRows,
  type CoveragePiece,
  type TileAddress,
  type TileQuery,
} from '../db/repositories/tiles.repository.js'
import { badRequest, notFound } from '../errors.js'
import { dataVersion } from './data-version.js'
import { encodeTile } from './tiles-encode.js'

export type TileEncoder = 'mvt' | 'node'

export const TILE_LAYERS = ['cells', 'parcels', 'gaps', 'overlaps', 'flags'] as const
export type TileLayerName = (typeof TILE_LAYERS)[number]

/** Parcels are only drawn from this zoom: below it a tile would hold tens of thousands of sub-pixel parcels. */
export const PARCELS_MIN_ZOOM = 13
export const MAX_ZOOM = 22

/**
 * What the requester may see of a layer: null = everything; cellIds = only features of these cells
 * (a supervisor's flags). Part of the cache key and the ETag, so a scoped tile is never served to
 * anyone whose scope differs.
 */
export type TileScope = { cellIds: number[] } | null

export interface TileSpec {
  layer: TileLayerName
  level: number | null
  address: TileAddress
  at: string
  scope?: TileScope
}

function scopeKey(scope: TileScope | undefined): string {
  if (!scope) return 'all'
  const ids = [...new Set(scope.cellIds)].sort((a, b) => a - b).join(',')
  return `cells:${createHash('sha1').update(ids).digest('base64url')}`
}

export interface TileResult {
  /** empty when the tile has no features */
  body: Buffer
  etag: string
  cached: boolean
}

const integer = (name: string, raw: string, min: number, max: number): number => {
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw badRequest(
      'invalid_tile',
      `path parameter "${name}" must be an integer from ${min} to ${max}, got "${raw}"`,
      { parameter: name },
    )
  }
  return Number(raw)
}

/** `cells`, `cells-3` (level 3 only), `parcels`, `gaps`, `overlaps`, `flags`; z/x/y in range. */
export function parseTileSpec(p: {
  layer: string
  z: string
  x: string
  y: string
  level?: string
  at: string
}): TileSpec {
  const m = /^([a-z]+)(?:-(\d{1,2}))?$/.exec(p.layer)
  const layer = m?.[1] as TileLayerName | undefined
  if (!m || !layer || !TILE_LAYERS.includes(layer) || (m[2] !== undefined && layer !== 'cells'))
    throw notFound('tile layer', p.layer)
  let level: number | null = null
  if (m[2] !== undefined) level = integer('layer', m[2], 1, 8)
  if (p.level !== undefined) {
    if (layer !== 'cells')
      throw badRequest('invalid_tile', 'querystring parameter "level" applies to the cells layer only', {
        parameter: 'level',
      })
    const q = integer('level', p.level, 1, 8)
    if (level !== null && level !== q)
      throw badRequest('invalid_tile', `querystring parameter "level" (${q}) contradicts the layer "${p.layer}"`, {
        parameter: 'level',
      })
    level = q
  }
  const z = integer('z', p.z, 0, MAX_ZOOM)
  const x = integer('x', p.x, 0, 2 ** z - 1)
  const y = integer('y', p.y, 0, 2 ** z - 1)
  return { layer, level, address: { z, x, y }, at: p.at }
}

interface Entry {
  version: number
  body: Buffer
  etag: string
}

export interface TileServiceOptions {
  encoder: TileEncoder
  sliverM2: number
  /** LRU budget in bytes (default 64 MB) */
  cacheBytes?: number
}

interface CoverageLayers {
  version: number
  gaps: CoveragePiece[]
  overlaps: CoveragePiece[]
}

const round1 = (n: number) => Math.round(n * 10) / 10

export function createTileService(db: Kysely<DB>, options: TileServiceOptions) {
  // least recently used tiles go first once the bodies and keys together pass the budget
  const cache = new LRUCache<string, Entry>({
    maxSize: options.cacheBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (entry, key) => entry.body.length + key.length,
  })
  const inflight = new Map<string, Promise<Entry>>()
  let coverage: Promise<CoverageLayers> | null = null
  let coverageVersion = 0

  async function computeCoverage(version: number): Promise<CoverageLayers> {
    const result: CoverageLayers = { version, gaps: [], overlaps: [] }
    for (const region of await listRegions(db)) {
      const scope = { kind: 'region' as const, regionId: region.id }
      const [g, o] = await Promise.all([gaps(db, scope, options.sliverM2, 0), overlaps(db, scope, options.sliverM2, 0)])
      for (const r of g) {
        result.gaps.push({
          geometry: r.geometry,
          bbox: r.bbox,
          properties: {
            parentCode: r.parent_code,
            missingLevel: r.parent_level + 1,
            areaM2: round1(r.area_m2),
            allowed: r.allowed_gap_id !== null,
          },
        })
      }
      for (const r of o) {
        result.overlaps.push({
          geometry: r.geometry,
          bbox: r.bbox,
          properties: {
            parentCode: r.parent_code,
            level: r.level,
            cellCodes: r.cell_codes.join(','),
            areaM2: round1(r.area_m2),
          },
        })
      }
    }
    return result
  }

  function coverageLayers(): Promise<CoverageLayers> {
    const version = dataVersion()
    if (!coverage || coverageVersion !== version) {
      coverageVersion = version
      coverage = computeCoverage(version)
      coverage.catch(() => {
        if (coverageVersion === version) coverage = null
      })
    }
    return coverage
  }

  async function query(spec: TileSpec): Promise<TileQuery> {
    switch (spec.layer) {
      case 'cells':
        return { layer: 'cells', level: spec.level, at: spec.at }
      case 'parcels':
        return { layer: 'parcels', at: spec.at }
      case 'flags':
        return { layer: 'flags', cellIds: spec.scope ? spec.scope.cellIds : null }
      case 'gaps':
      case 'overlaps': {
        const layers = await coverageLayers()
        const [w, s, e, n] = tileBounds4326(spec.address, 0.1)
        const pieces = layers[spec.layer].filter(
          (p) => p.bbox[0]! <= e && p.bbox[2]! >= w && p.bbox[1]! <= n && p.bbox[3]! >= s,
        )
        return { layer: spec.layer, pieces }
      }
    }
  }

  /** Builds a tile without the cache, with the encoder asked for (tests compare the two). */
  async function render(spec: TileSpec, encoder: TileEncoder = options.encoder): Promise<Buffer> {
    if (spec.layer === 'parcels' && spec.address.z < PARCELS_MIN_ZOOM) return Buffer.alloc(0)
    const q = await query(spec)
    if ((q.layer === 'gaps' || q.layer === 'overlaps') && q.pieces.length === 0) return Buffer.alloc(0)
    if (encoder === 'mvt') return mvtTile(db, spec.layer, q, spec.address)
    const { rows, columns, points } = await tileRows(db, q, spec.address)
    return encodeTile(spec.layer, rows, columns, points)
  }

  async function tile(spec: TileSpec): Promise<TileResult> {
    const version = dataVersion()
    const { z, x, y } = spec.address
    const scope = scopeKey(spec.scope)
    const key = `${spec.layer}|${spec.level ?? ''}|${z}/${x}/${y}|${spec.at}|${scope}`
    const hit = cache.get(key)
    if (hit && hit.version === version) return { body: hit.body, etag: hit.etag, cached: true }
    const flightKey = `${version}|${key}`
    let pending = inflight.get(flightKey)
    if (!pending) {
      pending = (async () => {
        const body = await render(spec)
        const etag = `"${createHash('sha1').update(scope).update('\0').update(body).digest('base64url').slice(0, 22)}"`
        // stored under the version seen when rendering began: a write during rendering bumps past it
        const entry = { version, body, etag }
        if ((cache.get(key)?.version ?? 0) <= version) cache.set(key, entry)
        return entry
      })().finally(() => inflight.delete(flightKey))
      inflight.set(flightKey, pending)
    }
    const entry = await pending
    return { body: entry.body, etag: entry.etag, cached: false }
  }

  return { parse: parseTileSpec, tile, render, cacheSize: () => cache.size }
}

export type TileService = ReturnType<typeof createTileService>
