// A corpus of bad boundary geometries, each with a fragment its error message must contain.
// Coordinates sit inside the test worlds near 113°E 35°N.
type Case = { name: string; geometry: unknown; says: string; located?: boolean }

const sq = (x: number, y: number, d = 0.001) => [
  [x, y],
  [x + d, y],
  [x + d, y + d],
  [x, y + d],
  [x, y],
]

export const BAD_GEOMETRIES: Case[] = [
  {
    name: 'bow-tie',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [113.001, 35.001],
          [113.003, 35.003],
          [113.003, 35.001],
          [113.001, 35.003],
          [113.001, 35.001],
        ],
      ],
    },
    says: 'Self-intersection',
    located: true,
  },
  {
    name: 'figure eight with a shared vertex crossing',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [113.001, 35.001],
          [113.002, 35.002],
          [113.003, 35.001],
          [113.003, 35.003],
          [113.002, 35.002],
          [113.001, 35.003],
          [113.001, 35.001],
        ],
      ],
    },
    says: 'Ring Self-intersection',
    located: true,
  },
  {
    name: 'spike (zero-width excursion)',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [113.001, 35.001],
          [113.003, 35.001],
          [113.005, 35.001],
          [113.003, 35.001],
          [113.003, 35.003],
          [113.001, 35.003],
          [113.001, 35.001],
        ],
      ],
    },
    says: 'Self-intersection',
    located: true,
  },
  {
    name: 'self-touching loop',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [113.001, 35.001],
          [113.004, 35.001],
          [113.004, 35.004],
          [113.002, 35.001],
          [113.001, 35.004],
          [113.001, 35.001],
        ],
      ],
    },
    says: 'intersection',
    located: true,
  },
  {
    name: 'unclosed ring',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [113.001, 35.001],
          [113.002, 35.001],
          [113.002, 35.002],
          [113.001, 35.002],
        ],
      ],
    },
    says: 'not closed',
    located: true,
  },
  {
    name: 'ring of 3 positions',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [113.001, 35.001],
          [113.002, 35.001],
          [113.001, 35.001],
        ],
      ],
    },
    says: 'at least 4',
  },
  {
    name: 'ring of 2 positions',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [113.001, 35.001],
          [113.001, 35.001],
        ],
      ],
    },
    says: 'at least 4',
  },
  { name: 'empty ring', geometry: { type: 'Polygon', coordinates: [[]] }, says: 'at least 4' },
  { name: 'no rings', geometry: { type: 'Polygon', coordinates: [] }, says: 'no rings' },
  {
    name: 'duplicate points only',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [113.001, 35.001],
          [113.001, 35.001],
          [113.001, 35.001],
          [113.001, 35.001],
        ],
      ],
    },
    says: 'fewer than 3 distinct',
  },
  {
    name: 'collinear points (zero area)',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [113.001, 35.001],
          [113.002, 35.001],
          [113.003, 35.001],
          [113.001, 35.001],
        ],
      ],
    },
    says: 'Self-intersection',
    located: true,
  },
  {
    name: 'hole outside the shell',
    geometry: { type: 'Polygon', coordinates: [sq(113.001, 35.001), sq(113.005, 35.005)] },
    says: 'Hole lies outside shell',
    located: true,
  },
  {
    name: 'hole crossing the shell',
    geometry: { type: 'Polygon', coordinates: [sq(113.001, 35.001, 0.002), sq(113.0025, 35.0015, 0.001)] },
    says: 'Self-intersection',
    located: true,
  },
  {
    name: 'nested shells in a multipolygon',
    geometry: { type: 'MultiPolygon', coordinates: [[sq(113.001, 35.001, 0.004)], [sq(113.002, 35.002, 0.001)]] },
    says: 'Nested shells',
    located: true,
  },
  {
    name: 'overlapping multipolygon parts',
    geometry: { type: 'MultiPolygon', coordinates: [[sq(113.001, 35.001, 0.002)], [sq(113.002, 35.002, 0.002)]] },
    says: 'Self-intersection',
    located: true,
  },
  {
    name: 'nested holes',
    geometry: {
      type: 'Polygon',
      coordinates: [sq(113.001, 35.001, 0.006), sq(113.002, 35.002, 0.003), sq(113.0025, 35.0025, 0.001)],
    },
    says: 'Holes are nested',
    located: true,
  },
  {
    name: 'NaN coordinate',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [113.001, 35.001],
          [Number.NaN, 35.001],
          [113.002, 35.002],
          [113.001, 35.001],
        ],
      ],
    },
    says: 'non-numeric',
  },
  {
    name: 'null coordinate (NaN/Infinity after JSON)',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [113.001, 35.001],
          [null, 35.001],
          [113.002, 35.002],
          [113.001, 35.001],
        ],
      ],
    },
    says: 'non-numeric',
  },
  {
    name: 'string coordinate',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [113.001, 35.001],
          ['113.002', 35.001],
          [113.002, 35.002],
          [113.001, 35.001],
        ],
      ],
    },
    says: 'non-numeric',
  },
  {
    name: 'longitude out of range',
    geometry: { type: 'Polygon', coordinates: [sq(181, 35)] },
    says: 'out of range',
    located: true,
  },
  {
    name: 'latitude out of range',
    geometry: { type: 'Polygon', coordinates: [sq(113, 91)] },
    says: 'out of range',
    located: true,
  },
  {
    name: 'projected metres instead of degrees',
    geometry: { type: 'Polygon', coordinates: [sq(500000, 3800000, 100)] },
    says: 'out of range',
    located: true,
  },
  {
    name: 'position with one number',
    geometry: { type: 'Polygon', coordinates: [[[113.001], [113.002, 35.001], [113.002, 35.002], [113.001]]] },
    says: 'not a [lon, lat] position',
  },
  {
    name: 'position with four numbers',
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [113.001, 35.001, 0, 0],
          [113.002, 35.001],
          [113.002, 35.002],
          [113.001, 35.001, 0, 0],
        ],
      ],
    },
    says: 'not a [lon, lat] position',
  },
  { name: 'Point', geometry: { type: 'Point', coordinates: [113.001, 35.001] }, says: 'not Polygon or MultiPolygon' },
  {
    name: 'LineString',
    geometry: {
      type: 'LineString',
      coordinates: [
        [113.001, 35.001],
        [113.002, 35.002],
      ],
    },
    says: 'not Polygon or MultiPolygon',
  },
  {
    name: 'MultiPoint',
    geometry: { type: 'MultiPoint', coordinates: [[113.001, 35.001]] },
    says: 'not Polygon or MultiPolygon',
  },
  {
    name: 'GeometryCollection',
    geometry: { type: 'GeometryCollection', geometries: [{ type: 'Polygon', coordinates: [sq(113.001, 35.001)] }] },
    says: 'not Polygon or MultiPolygon',
  },
  {
    name: 'Feature instead of geometry',
    geometry: { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [sq(113.001, 35.001)] } },
    says: 'not Polygon or MultiPolygon',
  },
  {
    name: 'lower-case type',
    geometry: { type: 'polygon', coordinates: [sq(113.001, 35.001)] },
    says: 'not Polygon or MultiPolygon',
  },
  { name: 'missing coordinates', geometry: { type: 'Polygon' }, says: 'no rings' },
  {
    name: 'coordinates as a string',
    geometry: { type: 'Polygon', coordinates: 'POLYGON((113 35, 113.1 35, 113.1 35.1, 113 35))' },
    says: 'no rings',
  },
  {
    name: 'ring not an array',
    geometry: { type: 'Polygon', coordinates: [{ x: 1 }] },
    says: 'not an array of positions',
  },
  { name: 'empty multipolygon', geometry: { type: 'MultiPolygon', coordinates: [] }, says: 'no polygons' },
  {
    name: 'multipolygon with an empty polygon',
    geometry: { type: 'MultiPolygon', coordinates: [[]] },
    says: 'no rings',
  },
  { name: 'geometry is a number', geometry: 42, says: 'must be object' },
]

/**
 * A bow-tie with a tiny lobe: valid after ST_MakeValid, invalid again once the repaired geometry is
 * written as GeoJSON with 9 decimals (the lobe's crossing point rounds onto its neighbours, leaving a
 * ring of too few points). Found by trying near-degenerate bow-ties; reproduced on PostGIS 3.3 and 3.6.
 */
export const ROUNDING_BREAKS_REPAIR = {
  type: 'Polygon',
  coordinates: [
    [
      [113.001, 35.001],
      [113.0030000007, 35.0030000003],
      [113.003, 35.001],
      [113.0010000009, 35.0010000011],
      [113.001, 35.001],
    ],
  ],
}
