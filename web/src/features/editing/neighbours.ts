// The siblings of the cell being edited (exact boundaries) and its parent: what dragged and drawn
// vertices snap to, and which cells a merge may take.
import type { CellFeature, Polygonal } from '../../api/types.js'
import { snapTargetsOf, targetsNear } from '../../map/draw/snapping.js'
import type { EditHost } from './edit-tool.js'

export class Neighbours {
  /** the last loaded siblings (kept from one tool to the next) */
  siblings: CellFeature[] = []

  constructor(private readonly host: EditHost) {}

  /** Loads the children of `parentCode` and hands the snap targets near `ownCode` to the map. */
  async load(parentCode: string | null, ownCode: string | null) {
    if (!parentCode) {
      this.siblings = []
      this.host.setSnapTargets({ vertices: [], segments: [] })
      return
    }
    const [siblings, parent] = await Promise.all([
      this.host.api.cells({ parent: parentCode, limit: 5000 }),
      this.host.api.cell(parentCode),
    ])
    this.siblings = siblings.features
    const others = siblings.features.filter((f) => f.properties.code !== ownCode).map((f) => f.geometry)
    const targets = snapTargetsOf([...others, parent.geometry as Polygonal])
    const own = ownCode ? siblings.features.find((f) => f.properties.code === ownCode) : null
    // keep only what is near the cell being edited (new cells: the whole parent)
    this.host.setSnapTargets(own?.bbox ? targetsNear(targets, own.bbox, 0.01) : targets)
  }
}
