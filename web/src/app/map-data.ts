// What the map draws from the grid: the context areas, the region's outline, the cells, the gaps and
// overlaps (from the coverage report) and the parcels; loaded at start-up, reloaded after a saved edit.
import type { CoverageReport, Region } from '../api/types.js'
import { CellLoader } from '../map/cell-loader.js'
import { setSourceData, showDefects } from '../map/map-view.js'
import { GeoJsonParcelLoader } from '../map/parcel-loader.js'
import { SOURCES } from '../map/sources.js'
import type { AppContext } from './context.js'

export class MapData {
  /** coverage reports by scope ("region:<code>", …), shared with the coverage panel */
  readonly coverageCache = new Map<string, CoverageReport>()

  constructor(private readonly app: AppContext) {}

  /** Starts every load for the region; the promises settle when each is on the map. */
  load(region: Region): Promise<unknown>[] {
    const { api, map } = this.app
    const loads: Promise<unknown>[] = []
    loads.push(api.contextAreas().then((fc) => setSourceData(map, SOURCES.context, fc)))
    loads.push(api.regionOutline(region.code).then((f) => setSourceData(map, SOURCES.region, f)))
    this.app.cells = new CellLoader(api, region.code, (e) => this.app.toasts.show(e))
    loads.push(this.app.cells.attach(map))
    loads.push(this.loadDefects(region))
    const parcels = new GeoJsonParcelLoader(api, { forceMode: () => this.app.debug.parcelMode })
    this.app.parcels = parcels
    parcels.onStatus((s) => this.app.legend.setParcelStatus(s))
    parcels.attach(map)
    return loads
  }

  /** A saved change: everything drawn from the grid is reloaded. */
  async reload() {
    const region = this.app.region!
    this.coverageCache.clear()
    const loads: Promise<unknown>[] = [this.app.cells?.refresh() ?? Promise.resolve(), this.loadDefects(region)]
    this.app.parcels?.refresh()
    this.app.panels.coverage?.refresh()
    const results = await Promise.allSettled(loads)
    for (const r of results) if (r.status === 'rejected') this.app.toasts.show(r.reason)
  }

  /** The region's gaps and overlaps, drawn on the map (the report is kept for the coverage panel). */
  private loadDefects(region: Region) {
    return this.app.api.coverage({ region: region.code }).then((report) => {
      this.coverageCache.set(`region:${region.code}`, report)
      showDefects(this.app.map, report)
    })
  }
}
