// The supervision inventory's link to the map: the objects layer (a dot per object, polygons drawn as
// well), loaded once signed in, and the popup an object opens when tapped.
import type { Feature, FeatureCollection } from 'geojson'
import type { ObjectCollection } from '../../api/types.js'
import { isAbort } from '../../api/client.js'
import { setSourceData } from '../../map/map-view.js'
import { SOURCES } from '../../map/sources.js'
import { loadingView } from '../../panels/popup.js'
import type { AppContext } from '../../app/context.js'
import { objectAccountabilityView } from './object-view.js'

/** Each object as it is, plus a dot at a polygon's anchor so a site shows at every zoom. */
export function objectFeatures(fc: ObjectCollection): FeatureCollection {
  const features: Feature[] = []
  for (const f of fc.features) {
    features.push(f as Feature)
    if (f.geometry.type !== 'Point')
      features.push({
        type: 'Feature',
        id: f.id,
        geometry: { type: 'Point', coordinates: f.properties.anchor },
        properties: f.properties,
      } as Feature)
  }
  return { type: 'FeatureCollection', features }
}

export class ObjectWiring {
  private controller: AbortController | null = null

  constructor(private readonly app: AppContext) {}

  private loaded: Promise<ObjectCollection> | null = null

  /** The inventory as last loaded (the patrol screen measures distances to it). */
  collection(): Promise<ObjectCollection> {
    this.loaded ??= this.app.api.objectsGeojson()
    this.loaded.catch(() => (this.loaded = null))
    return this.loaded
  }

  async load() {
    try {
      this.loaded = null
      setSourceData(this.app.map, SOURCES.objects, objectFeatures(await this.collection()))
      this.app.debug.objectLoads++
    } catch (e) {
      this.app.toasts.show(e)
    }
  }

  /** The object's popup at the tapped place: "loading" at once, then who answers for it. */
  async open(id: number, lon: number, lat: number) {
    this.controller?.abort()
    const controller = new AbortController()
    this.controller = controller
    this.app.popup.open(lon, lat, loadingView, false)
    try {
      const detail = await this.app.api.objectDetail(id, controller.signal)
      if (controller.signal.aborted) return
      this.app.popup.open(lon, lat, () => objectAccountabilityView(detail), false)
      this.app.debug.popups++
    } catch (e) {
      if (!isAbort(e)) this.app.toasts.show(e)
    }
  }
}
