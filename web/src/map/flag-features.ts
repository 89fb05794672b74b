// The flags layer's data: the server's GeoJSON (GET /api/flags.geojson) with an extra point at the
// anchor of every area flag, so areas get the same clickable, state-coloured dot as point flags.
import type { FlagCollection } from '../api/types.js'

export function flagFeatures(fc: FlagCollection): FlagCollection {
  const features: FlagCollection['features'] = []
  for (const f of fc.features) {
    if (!f.geometry) continue
    features.push(f)
    const anchor = f.properties.point
    if (f.geometry.type === 'Polygon' && Array.isArray(anchor) && anchor.length >= 2) {
      features.push({
        type: 'Feature',
        id: f.id,
        geometry: { type: 'Point', coordinates: [anchor[0]!, anchor[1]!] },
        properties: f.properties,
      })
    }
  }
  return { type: 'FeatureCollection', features }
}
