// Each flag state's colour, the one source for the web map, its legend and badges (web/src/map/theme.ts)
// and the `color` property of the server's flag GeoJSON (for clients without their own style). A plain
// constant with no TypeBox, so the web bundle can import it without taking in any schema code.
export const FLAG_STATE_COLOURS = {
  reported: '#7e57c2',
  registered: '#5c6bc0',
  dispatched: '#e53935',
  in_progress: '#fb8c00',
  feedback: '#fdd835',
  closed: '#43a047',
  rejected: '#9e9e9e',
} as const
