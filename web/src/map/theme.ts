// Every colour the map and its legend use, in one place. Layers and the legend read from here, so a
// colour changed here changes both. Flag states' colours come from the API contract, so the server's flag
// GeoJSON carries the same ones.
import { FLAG_STATE_COLOURS } from '../../../server/src/contract/flag-colours.js'

export const theme = {
  background: '#f4f1ea',
  context: { fill: '#e6e1d6', line: '#b9b1a1', text: '#8a8171' },
  region: { line: '#2b2b2b' },
  township: { line: '#3a3a3a', text: '#1f1f1f', halo: '#ffffff' },
  village: { line: '#6b6b6b', text: '#2e2e2e', halo: '#ffffff' },
  staffing: {
    staffed: '#74c27d',
    understaffed: '#f2c94c',
    expiring: '#f2994a',
    vacant: '#a3a3a3',
  },
  gap: { fill: '#d7191c', hatch: '#d7191c', line: '#a50f15' },
  overlap: { fill: '#1f5fd6', line: '#0b3a8f' },
  parcel: {
    matched: '#2f7d3b',
    straddling: '#e07b00',
    unowned: '#d7191c',
    inherited: '#8e5fc7',
  },
  /** the ring of a supervised object's dot and its outline (the fill is its match status) */
  object: { ring: '#1a1a1a' },
  highlight: { line: '#00b4d8', halo: '#ffffff', fill: '#00b4d8' },
  /** the boundary being edited or drawn (Terra Draw), and what the editor marks on the map */
  edit: {
    line: '#ff6d00',
    fill: '#ff6d00',
    vertex: '#ffffff',
    midpoint: '#ffd3b0',
    problem: '#c51162',
    history: '#6a1b9a',
  },
  /** flags by workflow state (open ones strong, finished ones muted) */
  flag: {
    ...FLAG_STATE_COLOURS,
    outline: '#ffffff',
    escalated: '#b71c1c',
  },
  /** where a flag is being reported */
  draft: { fill: '#1565c0', line: '#ffffff' },
  /** the walker's own track and position on the patrol screen */
  walk: { track: '#0277bd', position: '#01579b', halo: '#ffffff', accuracy: '#0288d1' },
} as const

export type StaffingStatus = keyof typeof theme.staffing
export type ParcelStatus = keyof typeof theme.parcel
export const STAFFING_STATUSES = Object.keys(theme.staffing) as StaffingStatus[]
export const PARCEL_STATUSES = Object.keys(theme.parcel) as ParcelStatus[]
export const FLAG_STATES = [
  'reported',
  'registered',
  'dispatched',
  'in_progress',
  'feedback',
  'closed',
  'rejected',
] as const
export type FlagStateColor = (typeof FLAG_STATES)[number]
