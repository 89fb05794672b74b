// Cells are few (a county has hundreds, not hundreds of thousands), so each level is loaded whole,
// once per level of detail: simplified while the map is zoomed out, full detail once it is zoomed in.
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl'
import type { ApiClient } from '../api/client.js'
import type { CellCollection, CellFeature } from '../api/types.js'
import { labelFeatures } from './label-points.js'
import { LEVEL, SOURCES } from './sources.js'

/** Simplification tolerance in degrees for a zoom: ~30 m zoomed out, exact from zoom 12. */
export function simplifyFor(zoom: number): number {
  return zoom < 12 ? 0.0003 : 0
}

type Level = (typeof LEVEL)[keyof typeof LEVEL]
const SOURCE_OF: Record<Level, string> = { [LEVEL.township]: SOURCES.townships, [LEVEL.village]: SOURCES.villages }

export class CellLoader {
  private cache = new Map<string, Promise<CellCollection>>()
  private shownTolerance: number | null = null
  private current: Record<Level, CellCollection | null> = { [LEVEL.township]: null, [LEVEL.village]: null }
  private labelsDone = false
  private readonly onZoom = () => void this.ensure()

  constructor(
    private readonly api: ApiClient,
    private readonly region: string,
    private readonly onError: (e: unknown) => void,
  ) {}

  attach(map: MapLibreMap) {
    this.map = map
    map.on('zoomend', this.onZoom)
    return this.ensure()
  }

  private map: MapLibreMap | null = null

  /** All loaded cells of a level (at the detail currently shown). */
  cells(level: Level): CellFeature[] {
    return this.current[level]?.features ?? []
  }

  find(code: string): CellFeature | undefined {
    return (
      this.cells(LEVEL.village).find((f) => f.properties.code === code) ??
      this.cells(LEVEL.township).find((f) => f.properties.code === code)
    )
  }

  private load(level: Level, tolerance: number) {
    const key = `${level}:${tolerance}`
    let p = this.cache.get(key)
    if (!p) {
      p = this.api.cells({ region: this.region, level, simplify: tolerance || undefined, limit: 5000 })
      p.catch(() => this.cache.delete(key))
      this.cache.set(key, p)
    }
    return p
  }

  async ensure(): Promise<void> {
    const map = this.map
    if (!map) return
    const tolerance = simplifyFor(map.getZoom())
    if (tolerance === this.shownTolerance) return
    this.shownTolerance = tolerance
    try {
      const [townships, villages] = await Promise.all([
        this.load(LEVEL.township, tolerance),
        this.load(LEVEL.village, tolerance),
      ])
      if (this.shownTolerance !== tolerance || this.map !== map) return
      this.current = { [LEVEL.township]: townships, [LEVEL.village]: villages }
      for (const [level, fc] of [
        [LEVEL.township, townships],
        [LEVEL.village, villages],
      ] as const) {
        map.getSource<GeoJSONSource>(SOURCE_OF[level])?.setData(fc)
      }
      if (!this.labelsDone) {
        this.labelsDone = true
        const pick = (p: CellFeature['properties']) => ({
          code: p.code,
          name: p.name,
          nameEn: p.nameEn,
          level: p.level,
        })
        map.getSource<GeoJSONSource>(SOURCES.labels)?.setData({
          type: 'FeatureCollection',
          features: [...labelFeatures(townships.features, pick), ...labelFeatures(villages.features, pick)],
        })
      }
    } catch (e) {
      this.shownTolerance = null
      this.onError(e)
    }
  }

  /** Reload everything (after an edit). */
  refresh() {
    this.cache.clear()
    this.shownTolerance = null
    this.labelsDone = false
    return this.ensure()
  }
}
