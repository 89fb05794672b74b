// A click on the map: a drawing tool's vertex, a place a panel waits for (the report form), a flag, or
// else the accountability of the place. Layers that answer a click show a pointer.
import type { MapMouseEvent } from 'maplibre-gl'
import { FLAG_LAYERS, OBJECT_LAYERS } from '../map/layers/index.js'
import type { AppContext } from './context.js'

const CLICKABLE_LAYERS = ['village-fill', 'gap-fill', 'overlap-fill', 'parcel-fill', 'parcel-tile-fill']

export class MapClicks {
  /** a panel that waits for a map tap (the report form) takes clicks away from the popup */
  override: ((lon: number, lat: number) => void) | null = null

  constructor(private readonly app: AppContext) {}

  attach() {
    const map = this.app.map
    map.on('click', (e: MapMouseEvent) => this.onClick(e))
    for (const layer of [...FLAG_LAYERS, ...OBJECT_LAYERS]) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'))
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''))
    }
    for (const layer of CLICKABLE_LAYERS) {
      map.on('mouseenter', layer, () => (map.getCanvas().style.cursor = 'pointer'))
      map.on('mouseleave', layer, () => (map.getCanvas().style.cursor = ''))
    }
  }

  private onClick(e: MapMouseEvent) {
    // a drawing tool owns the map: its clicks place vertices
    if (this.app.drawing.active) return
    if (this.override) return this.override(e.lngLat.lng, e.lngLat.lat)
    const box: [[number, number], [number, number]] = [
      [e.point.x - 6, e.point.y - 6],
      [e.point.x + 6, e.point.y + 6],
    ]
    if (this.app.panels.flags) {
      const hit = this.app.map.queryRenderedFeatures(box, { layers: [...FLAG_LAYERS] })[0]
      const id = Number(hit?.properties?.id)
      if (hit && Number.isInteger(id)) return void this.app.flagWiring.openFlag(id)
    }
    // a supervised object (signed in: the layer is empty otherwise) opens its own popup
    const object = this.app.map.queryRenderedFeatures(box, { layers: [...OBJECT_LAYERS] })[0]
    const objectId = Number(object?.properties?.id)
    if (object && Number.isInteger(objectId))
      return void this.app.objectWiring.open(objectId, e.lngLat.lng, e.lngLat.lat)
    void this.app.popup.showPointPopup(e.lngLat.lng, e.lngLat.lat)
  }
}
