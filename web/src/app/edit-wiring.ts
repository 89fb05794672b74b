// The boundary editor's link to the rest of the app: what it may do on the map (snap targets, marks,
// outlines), what happens after a save, and the ways into it from elsewhere (a popup's "edit", the
// coverage panel's fix-a-gap and fix-an-overlap, which build the change and open its preview).
import type { CoverageGap, CoverageOverlap, EditChange } from '../api/types.js'
import type { EditHost } from '../features/editing/edit-panel.js'
import { t } from '../i18n/index.js'
import type { SnapTargets } from '../map/draw/snapping.js'
import { setSourceData } from '../map/map-view.js'
import { SOURCES } from '../map/sources.js'
import type { MapPoint } from '../panels/edit-preview.js'
import type { AppContext } from './context.js'

export class EditWiring {
  /** what the drawing tool snaps to (the edit panel sets it for the cell being edited) */
  snapTargets: SnapTargets = { vertices: [], segments: [] }

  constructor(private readonly app: AppContext) {}

  host(): EditHost {
    const { app } = this
    return {
      api: app.api,
      drawing: app.drawing,
      setSnapTargets: (targets) => (this.snapTargets = targets),
      fit: (bbox) => app.fit(bbox, { maxZoom: 17 }),
      flyTo: (point) => app.map.flyTo({ center: point, zoom: Math.max(app.map.getZoom(), 16) }),
      mark: (points: MapPoint[]) =>
        setSourceData(app.map, SOURCES.editMarks, {
          type: 'FeatureCollection',
          features: points.map((p) => ({
            type: 'Feature',
            geometry: { type: 'Point', coordinates: p.point },
            properties: { label: p.label },
          })),
        }),
      showOutline: (geometry) =>
        setSourceData(app.map, SOURCES.history, {
          type: 'FeatureCollection',
          features: geometry ? [{ type: 'Feature', geometry, properties: {} }] : [],
        }),
      saved: () => app.mapData.reload(),
      selectCell: (code) => {
        if (code) void app.selection.selectCell(code, { fly: false })
        else {
          app.url.setSelection(undefined)
          app.selection.clear()
        }
      },
    }
  }

  /** From a popup: select the cell and open the edit tools on it. */
  editCell(code: string) {
    this.app.popup.close()
    void this.app.selection.selectCell(code, { fly: false })
    this.app.sidePanel.open('edit')
    void this.app.panels.edit?.setCell(code)
  }

  /** Fix-a-gap from the coverage panel: build the change (with current versions) and preview it. */
  async fixGap(gap: CoverageGap, how: { giveTo: string } | { newCell: string }) {
    const point: [number, number] = [gap.point[0]!, gap.point[1]!]
    try {
      let change: EditChange
      let title: string
      if ('giveTo' in how) {
        const cell = await this.app.api.cell(how.giveTo)
        change = {
          operation: 'fix_gap',
          parentCode: gap.parentCode,
          point,
          action: 'give_to',
          cellCode: cell.code,
          cellVersion: cell.version,
        }
        title = t('fixGiveToTitle', { code: cell.code })
      } else {
        change = { operation: 'fix_gap', parentCode: gap.parentCode, point, action: 'new_cell', name: how.newCell }
        title = t('fixNewCellTitle', { name: how.newCell })
      }
      await this.review(change, title, 'giveTo' in how ? how.giveTo : gap.parentCode)
    } catch (e) {
      this.app.toasts.show(e)
    }
  }

  async fixOverlap(overlap: CoverageOverlap, giveTo: string) {
    try {
      const [a, b] = await Promise.all(overlap.cellCodes.slice(0, 2).map((code) => this.app.api.cell(code)))
      const change: EditChange = {
        operation: 'fix_overlap',
        cellCodes: [a!.code, b!.code],
        versions: [a!.version, b!.version],
        point: [overlap.point[0]!, overlap.point[1]!],
        giveTo,
      }
      await this.review(change, t('fixGiveToTitle', { code: giveTo }), giveTo)
    } catch (e) {
      this.app.toasts.show(e)
    }
  }

  private async review(change: EditChange, title: string, cellCode: string) {
    const edit = this.app.panels.edit
    if (!edit) return
    await this.app.selection.selectCell(cellCode, { fly: false })
    this.app.sidePanel.open('edit')
    await edit.setCell(cellCode)
    await edit.review(change, title, 'home')
  }
}
