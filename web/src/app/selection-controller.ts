// What is selected on the map (a cell, a parcel, a person's cells, an area from a panel): its outline
// highlighted, the map brought to it, and the panels that follow the selection told.
import type { Geometry } from 'geojson'
import type { PersonDetail, SearchHit } from '../api/types.js'
import { displayName } from '../i18n/index.js'
import { setHighlight } from '../map/map-view.js'
import { parcelAccountabilityView } from '../panels/popup.js'
import type { AppContext } from './context.js'

export class SelectionController {
  constructor(private readonly app: AppContext) {}

  /** Nothing selected any more: no highlight, and the panels that showed the cell let go of it. */
  clear() {
    setHighlight(this.app.map, [])
    this.app.panels.coverage?.setSelectedCell(null)
    if (this.app.url.state.panel === 'edit') void this.app.panels.edit?.setCell(null)
  }

  async selectCell(code: string, o: { fly?: boolean } = {}) {
    const { api, url, panels } = this.app
    url.setSelection({ kind: 'cell', code })
    try {
      const cell = await api.cell(code)
      if (url.state.selection?.kind !== 'cell' || url.state.selection.code !== code) return
      setHighlight(this.app.map, [cell.geometry])
      if (o.fly !== false) this.app.fit(cell.bbox)
      panels.coverage?.setSelectedCell({ code: cell.code, name: displayName(cell) })
      if (url.state.panel === 'edit') void panels.edit?.setCell(code)
    } catch (e) {
      this.app.toasts.show(e)
    }
  }

  async selectParcel(id: number, bbox: number[] | null, o: { fly?: boolean } = {}) {
    const { api } = this.app
    this.app.url.setSelection({ kind: 'parcel', id })
    if (bbox && o.fly !== false) this.app.fit(bbox, { maxZoom: 17 })
    const center = bbox ? [(bbox[0]! + bbox[2]!) / 2, (bbox[1]! + bbox[3]!) / 2] : null
    try {
      const acc = await api.parcelAccountability(id)
      if (center) this.app.popup.open(center[0]!, center[1]!, () => parcelAccountabilityView(acc), false)
      // the parcel's outline: from the loaded view, or a small request around it
      let feature = this.app.parcels?.loaded().features.find((f) => f.properties.id === id)
      if (!feature && bbox)
        feature = (
          await api.parcels({ bbox: bbox as [number, number, number, number], limit: 50 })
        ).collection.features.find((f) => f.properties.id === id)
      if (feature) setHighlight(this.app.map, [feature.geometry])
    } catch (e) {
      this.app.toasts.show(e)
    }
  }

  /** A person's cells, highlighted (those not loaded yet are fetched). */
  showPerson(p: PersonDetail) {
    const { map } = this.app
    const geometries: Geometry[] = []
    const missing: string[] = []
    for (const code of new Set(p.cells.map((c) => c.cellCode))) {
      const f = this.app.cells?.find(code)
      if (f) geometries.push(f.geometry)
      else missing.push(code)
    }
    setHighlight(map, geometries)
    if (missing.length) {
      void Promise.all(missing.map((code) => this.app.api.cell(code).then((c) => c.geometry)))
        .then((more) => setHighlight(map, [...geometries, ...more]))
        .catch((e) => this.app.toasts.show(e))
    }
    if (p.bbox) this.app.fit(p.bbox)
  }

  zoomToArea(bbox: number[], geometry?: Geometry) {
    this.app.fit(bbox, { maxZoom: 16.5 })
    if (geometry) setHighlight(this.app.map, [geometry])
  }

  /** A search result: a cell, a person (in the supervisor panel), a parcel or a supervised object. */
  async goToHit(hit: SearchHit) {
    if (hit.type === 'cell') await this.selectCell(hit.key)
    else if (hit.type === 'object' && hit.bbox) {
      const [w, s, e, n] = hit.bbox as [number, number, number, number]
      this.app.fit([w - 0.002, s - 0.0015, e + 0.002, n + 0.0015], { maxZoom: 16.5 })
      await this.app.objectWiring.open(hit.id, (w + e) / 2, (s + n) / 2)
    } else if (hit.type === 'person') {
      this.app.sidePanel.open('supervisor')
      await this.app.panels.supervisor?.select(hit.id)
    } else await this.selectParcel(hit.id, hit.bbox)
  }
}
