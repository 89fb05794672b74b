// The siblings of the cell being edited (exact boundaries) and its parent: what dragged and drawn
// vertices snap to, and which cells a merge may take.
import type { CellFeature, Polygonal } from '../../api/types.js'
import { snapTargetsOf } from '../../map/draw/snapping.js'
import type { EditHost } from './edit-tool.js'

export class Neighbours {
  /** the last loaded siblings (kept from one tool to the next) */
  siblings: CellFeature[] = []

  constructor(private readonly host: EditHost) {}

  /** Loads the children of `parentCode` and hands their snap targets to the map. */
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
    // GET /api/cells features carry no bbox (the contract says so), so the narrowing to targets near the
    // cell being edited (targetsNear) never applied; every sibling and the parent stay snap targets
    this.host.setSnapTargets(targets)
  }
}
