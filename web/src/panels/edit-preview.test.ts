import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/client.js'
import type { EditResult, ParcelChange } from '../api/types.js'
import {
  accountableChanged,
  previewCounts,
  previewPlaces,
  problemLocations,
  sortParcelChanges,
  staleState,
} from './edit-preview.js'

const state = (cellCode: string | null, people: string[], status = 'matched') => ({
  status,
  cellCode,
  accountableCode: cellCode,
  people,
})
const change = (externalId: string, from: ParcelChange['from'], to: ParcelChange['to']): ParcelChange => ({
  id: 1,
  externalId,
  from,
  to,
})

const reassigned = change('P-2', state('A', ['张三 (grid_chief)']), state('B', ['李四 (grid_chief)']))
const restatused = change('P-1', state('A', ['张三 (grid_chief)']), state('A', ['张三 (grid_chief)'], 'straddling'))
const unknown = change(
  'P-0',
  { status: 'unknown', cellCode: null, accountableCode: null, people: [] },
  state('B', ['李四 (grid_chief)']),
)

const result = (parcels: ParcelChange[]): EditResult => ({
  operation: 'reshape',
  applied: false,
  editId: null,
  cells: [
    { code: 'A', name: 'a', change: 'reshaped', versionBefore: 1, versionAfter: 2, areaBeforeM2: 10, areaAfterM2: 12 },
  ],
  parcels,
  gaps: { created: [{ areaM2: 5, point: [113, 35], cellCodes: ['A'] }], closed: [], changed: [] },
  overlaps: { created: [], closed: [{ areaM2: 3, point: [113.1, 35.1], cellCodes: ['A', 'B'] }], changed: [] },
  endedResponsibilities: [],
})

describe('parcel changes', () => {
  it('tells a change of accountable person from a change of status only', () => {
    expect(accountableChanged(reassigned)).toBe(true)
    expect(accountableChanged(restatused)).toBe(false)
  })

  it('does not count parcels the server did not compare', () => {
    expect(accountableChanged(unknown)).toBe(false)
    expect(previewCounts(result([reassigned, restatused, unknown]))).toMatchObject({
      parcelsReassigned: 1,
      parcelsRestatused: 1,
      parcelsNotCompared: 1,
      gapsCreated: 1,
      overlapsClosed: 1,
    })
  })

  it('lists reassigned parcels first, and leaves the uncompared out', () => {
    expect(sortParcelChanges([restatused, unknown, reassigned]).map((p) => p.externalId)).toEqual(['P-2', 'P-1'])
  })
})

describe('places', () => {
  it('points at the gaps and overlaps a preview creates or closes', () => {
    expect(previewPlaces(result([])).map((p) => p.point)).toEqual([
      [113, 35],
      [113.1, 35.1],
    ])
  })

  it('reads every location a refused edit names', () => {
    const overlaps = new ApiError(422, 'overlaps_siblings', 'x', {
      cell: 'A',
      overlaps: [
        { code: 'B', areaM2: 12.5, location: [113.2, 35.2] },
        { code: 'C', areaM2: 1, location: null },
      ],
    })
    expect(problemLocations(overlaps).map((p) => p.point)).toEqual([[113.2, 35.2]])
    expect(
      problemLocations(new ApiError(400, 'invalid_geometry', 'self-intersection', { location: [113.3, 35.3] })),
    ).toEqual([{ point: [113.3, 35.3], label: 'invalid_geometry' }])
    expect(
      problemLocations(new ApiError(422, 'outside_parent', 'x', { cell: 'A', areaM2: 3, location: [1, 2] }))[0],
    ).toEqual({ point: [1, 2], label: 'A' })
    expect(problemLocations(new Error('x'))).toEqual([])
  })

  it('reads the current state of a 409 stale_version', () => {
    const e = new ApiError(409, 'stale_version', 'old', {
      code: 'A',
      currentVersion: 3,
      current: { name: 'a', version: 3, geometry: { type: 'Polygon', coordinates: [] } },
    })
    expect(staleState(e)).toEqual({ code: 'A', currentVersion: 3, geometry: { type: 'Polygon', coordinates: [] } })
    expect(staleState(new ApiError(422, 'x', 'y'))).toBeNull()
  })
})
