// The vocabulary of an import (import.service.ts): its options, its report with the capped lists of
// rejections and repairs, and the reasons a feature is left out.
import type { LandUse } from '../db/schema.js'
import type { Actor } from '../actor.js'

export type ImportKind = 'regions' | 'cells' | 'parcels' | 'context'
export type InvalidMode = 'reject' | 'skip' | 'repair'

export const LAND_USES: readonly LandUse[] = [
  'farmland',
  'enterprise',
  'construction_site',
  'water',
  'residential',
  'road',
  'other',
]

export interface PropertyNames {
  code: string
  name: string
  nameEn: string
  parent: string
  level: string
  id: string
  landUse: string
  owner: string
}

export const DEFAULT_PROPERTIES: PropertyNames = {
  code: 'code',
  name: 'name',
  nameEn: 'nameEn',
  parent: 'parentCode',
  level: 'level',
  id: 'externalId',
  landUse: 'landUse',
  owner: 'ownerName',
}

export interface ImportOptions {
  kind: ImportKind
  invalid: InvalidMode
  properties: PropertyNames
  /** region code for cells without a parent and for parcels (default: the only region) */
  region?: string
  batchSize: number
  matchToleranceM2: number
  actor: Actor
  source?: string
  /** when the imported cells' first versions begin (default: now); the demo's grid predates its loading */
  versionsValidFrom?: string
  /** how many rejections and repairs the report lists (the lowest indexes); the totals are always exact (default 100) */
  listLimit?: number
  onProgress?: (progress: { read: number; imported: number; rejected: number }) => void
}

export interface Rejection {
  index: number
  id: string | null
  reason: string
  location?: [number, number] | null
}

export interface Repair {
  index: number
  id: string | null
  areaBeforeM2: number
  areaAfterM2: number
}

export interface ImportReport {
  kind: ImportKind
  read: number
  imported: number
  /** the first `listLimit` rejections by index; `rejectedTotal` counts them all */
  rejected: Rejection[]
  rejectedTotal: number
  repaired: Repair[]
  repairedTotal: number
  skipped: number
  committed: boolean
  rematched: number
  /** things done to the input that the operator should know (elevation dropped) */
  warnings: string[]
}

export const DEFAULT_LIST_LIMIT = 100

/** Keeps the `limit` entries of lowest index, in bounded memory, and counts them all. */
export class CappedList<T extends { index: number }> {
  readonly items: T[] = []
  total = 0
  constructor(private readonly limit: number) {}
  add(item: T) {
    this.total++
    this.items.push(item)
    if (this.items.length >= 2 * this.limit + 100) this.trim()
  }
  trim(): T[] {
    this.items.sort((a, b) => a.index - b.index)
    this.items.length = Math.min(this.items.length, this.limit)
    return this.items
  }
}

/** The report as built, with its capped lists. */
export interface Tally {
  report: ImportReport
  rejections: CappedList<Rejection>
  repairs: CappedList<Repair>
}

export interface Candidate {
  index: number
  id: string
  props: Record<string, unknown>
  geojson: string
}

export const text = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v))
const round1 = (n: number) => Math.round(n * 10) / 10

export const invalidReason = (reason: string | null, mode: InvalidMode) =>
  `invalid polygon: ${reason ?? 'unknown reason'}${mode === 'repair' ? ' (ST_MakeValid left no valid polygon at 9 decimals)' : ''}`

/** A feature left out for its geometry: counted as skipped unless the import is all or nothing. */
export function leaveOut(t: Tally, mode: InvalidMode, r: Rejection) {
  if (mode !== 'reject') t.report.skipped++
  t.rejections.add(r)
}

export function outsideReason(kind: string, outsideM2: number, toleranceM2: number) {
  return `${kind} lies ${round1(outsideM2).toLocaleString('en-US')} m² outside its region (more than the match tolerance of ${toleranceM2} m²)`
}
