// Every colour the map and its legend use, in one place. Layers and the legend read from here, so a
// colour changed here changes both.

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
  highlight: { line: '#00b4d8', halo: '#ffffff', fill: '#00b4d8' },
} as const

export type StaffingStatus = keyof typeof theme.staffing
export type ParcelStatus = keyof typeof theme.parcel
export const STAFFING_STATUSES = Object.keys(theme.staffing) as StaffingStatus[]
export const PARCEL_STATUSES = Object.keys(theme.parcel) as ParcelStatus[]
