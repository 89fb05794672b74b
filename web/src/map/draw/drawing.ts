// Drawing and vertex editing on the map, with Terra Draw (terra-draw + terra-draw-maplibre-gl-adapter,
// MIT; no workers, no eval, so it runs under the app's CSP). One "working" feature at a time:
//  - editRing():  a cell's outer ring in select mode: drag a vertex, drag a midpoint to add one,
//                 right-click a vertex to delete it;
//  - draw():      a new polygon (new cell, flag area) or a line (split), then editable like the above.
// Every vertex that is placed or dragged snaps to the neighbouring cells' vertices and edges
// (snapping.ts) unless Alt is held, so shared boundaries stay shared.
//
// Terra Draw adds its own sources and layers (prefix "td-") above the style's layers while it runs and
// removes them on stop(); their colours come from theme.ts like everything else on the map. It is
// loaded on first use (a separate chunk): people who never draw never download it.
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { LineString, Polygon, Position } from 'geojson'
import type { GeoJSONStoreFeatures, HexColor, SnapToCustom, TerraDraw } from 'terra-draw'
import { theme } from '../theme.js'
import { snapPosition, type Snap, type SnapTargets } from './snapping.js'

export type DrawKind = 'polygon' | 'line'
export type WorkingGeometry = Polygon | LineString

export interface DrawingOptions {
  /** what vertices snap to (neighbouring cells and the parent); read on every move */
  snapTargets: () => SnapTargets
  snapTolerancePx?: number
  /** called whenever the working feature changes (a vertex moved, added, removed; drawing finished) */
  onChange?: () => void
  /** called when a drawing or an edit starts */
  onStart?: () => void
}

const hex = (c: string) => c as HexColor

let library: Promise<[typeof import('terra-draw'), typeof import('terra-draw-maplibre-gl-adapter')]> | null = null
function loadLibrary() {
  library ??= Promise.all([import('terra-draw'), import('terra-draw-maplibre-gl-adapter')])
  library.catch(() => (library = null))
  return library
}

export class MapDrawing {
  private draw: TerraDraw | null = null
  /** bumps on every start/stop, so a start that was overtaken while the library loaded gives up */
  private generation = 0
  private featureId: string | number | null = null
  private kind: DrawKind | null = null
  /** the last snap, for tests and the status line */
  lastSnap: Snap | null = null

  constructor(
    private readonly map: MapLibreMap,
    private readonly options: DrawingOptions,
  ) {}

  get active() {
    return this.draw !== null
  }

  private readonly snap: SnapToCustom = (event) => {
    if (event.heldKeys.includes('Alt')) {
      this.lastSnap = null
      return undefined
    }
    const snap = snapPosition(
      { x: event.containerX, y: event.containerY },
      this.options.snapTargets(),
      (lon, lat) => this.map.project([lon, lat]),
      this.options.snapTolerancePx,
    )
    this.lastSnap = snap
    return snap?.position
  }

  private async start(): Promise<TerraDraw | null> {
    this.stop()
    const generation = this.generation
    const [
      { TerraDraw, TerraDrawLineStringMode, TerraDrawPolygonMode, TerraDrawSelectMode },
      { TerraDrawMapLibreGLAdapter },
    ] = await loadLibrary()
    if (generation !== this.generation) return null
    this.options.onStart?.()
    const c = theme.edit
    const coordinates = { draggable: true, deletable: true, midpoints: true, snappable: { toCustom: this.snap } }
    const draw = new TerraDraw({
      adapter: new TerraDrawMapLibreGLAdapter({ map: this.map, coordinatePrecision: 9 }),
      modes: [
        new TerraDrawSelectMode({
          allowManualDeselection: false,
          // every pointer move counts: a vertex lands exactly where it is let go
          dragEventThrottle: 0,
          // no keyboard shortcut may delete or transform the whole feature
          keyEvents: { deselect: null, delete: null, rotate: null, scale: null },
          flags: {
            polygon: {
              feature: { draggable: false, rotateable: false, scaleable: false, selfIntersectable: false, coordinates },
            },
            linestring: { feature: { draggable: false, rotateable: false, scaleable: false, coordinates } },
          },
          styles: {
            selectedPolygonColor: hex(c.fill),
            selectedPolygonFillOpacity: 0.15,
            selectedPolygonOutlineColor: hex(c.line),
            selectedPolygonOutlineWidth: 3,
            selectedLineStringColor: hex(c.line),
            selectedLineStringWidth: 3,
            selectionPointColor: hex(c.vertex),
            selectionPointOutlineColor: hex(c.line),
            selectionPointWidth: 5,
            selectionPointOutlineWidth: 2,
            midPointColor: hex(c.midpoint),
            midPointOutlineColor: hex(c.line),
            midPointWidth: 3,
            midPointOutlineWidth: 1,
          },
        }),
        new TerraDrawPolygonMode({
          snapping: { toCustom: this.snap },
          styles: {
            fillColor: hex(c.fill),
            fillOpacity: 0.15,
            outlineColor: hex(c.line),
            outlineWidth: 3,
            closingPointColor: hex(c.vertex),
            closingPointOutlineColor: hex(c.line),
            closingPointWidth: 6,
            closingPointOutlineWidth: 2,
          },
        }),
        // a split line is drawn freely: snapping its ends onto the boundary would make the cut ambiguous
        new TerraDrawLineStringMode({
          styles: {
            lineStringColor: hex(c.line),
            lineStringWidth: 3,
            closingPointColor: hex(c.vertex),
            closingPointOutlineColor: hex(c.line),
            closingPointWidth: 6,
            closingPointOutlineWidth: 2,
          },
        }),
      ],
    })
    draw.start()
    draw.on('change', (_ids, type) => {
      if (type !== 'styling') this.options.onChange?.()
    })
    this.draw = draw
    return draw
  }

  /** Edit an existing ring (closed). */
  async editRing(ring: Position[]) {
    const draw = await this.start()
    if (!draw) return
    this.kind = 'polygon'
    draw.setMode('select')
    const id = draw.getFeatureId()
    const [result] = draw.addFeatures([
      {
        id,
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: [ring] },
        properties: { mode: 'polygon' },
      } as GeoJSONStoreFeatures,
    ])
    if (!result?.valid) {
      this.stop()
      throw new Error(`the boundary cannot be edited: ${result?.reason ?? 'invalid polygon'}`)
    }
    this.featureId = id
    draw.selectFeature(id)
  }

  /** Draw a new polygon or line; when it is finished it stays editable. */
  async drawNew(kind: DrawKind, onFinish: (geometry: WorkingGeometry) => void) {
    const draw = await this.start()
    if (!draw) return
    this.kind = kind
    draw.setMode(kind === 'polygon' ? 'polygon' : 'linestring')
    draw.on('finish', (id, context) => {
      if (context.action !== 'draw' || this.draw !== draw) return
      this.featureId = id
      draw.setMode('select')
      draw.selectFeature(id)
      const g = this.geometry()
      if (g) onFinish(g)
      this.options.onChange?.()
    })
  }

  /** The working feature as it is now, or null (nothing drawn yet). */
  geometry(): WorkingGeometry | null {
    if (!this.draw || this.featureId === null) return null
    const f = this.draw.getSnapshotFeature(this.featureId)
    if (!f) return null
    const g = f.geometry
    return g.type === 'Polygon' || g.type === 'LineString' ? (JSON.parse(JSON.stringify(g)) as WorkingGeometry) : null
  }

  currentKind() {
    return this.kind
  }

  stop() {
    this.generation++
    if (!this.draw) return
    const draw = this.draw
    this.draw = null
    this.featureId = null
    this.kind = null
    this.lastSnap = null
    try {
      draw.stop()
    } catch (e) {
      // the map may already be gone (page unload)
      console.warn('terra draw stop', e)
    }
  }
}
