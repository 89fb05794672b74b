// The flags' link to the map: the flag layer (reloaded when flags change), the categories the panels
// name, opening a flag in its panel, and bringing a flag into view.
import type { Flag, FlagCategory } from '../api/types.js'
import { lang } from '../i18n/index.js'
import { flagFeatures } from '../map/flag-features.js'
import { setHighlight, setSourceData } from '../map/map-view.js'
import { SOURCES } from '../map/sources.js'
import type { AppContext } from './context.js'

export class FlagWiring {
  private categoriesPromise: Promise<FlagCategory[]> | null = null
  private categoryList: FlagCategory[] = []

  constructor(private readonly app: AppContext) {}

  /** The flag categories, asked once (again after a failure). */
  categories(): Promise<FlagCategory[]> {
    if (!this.categoriesPromise) {
      this.categoriesPromise = this.app.api.flagCategories()
      this.categoriesPromise
        .then((c) => {
          this.categoryList = c
          this.app.panels.coverage?.render()
        })
        .catch(() => (this.categoriesPromise = null))
    }
    return this.categoriesPromise
  }

  categoryName(code: string): string {
    const c = this.categoryList.find((x) => x.code === code)
    return c ? (lang() === 'en' ? c.name.en : c.name.zh) : code
  }

  async loadFlags() {
    try {
      const fc = await this.app.api.flagsGeojson()
      setSourceData(this.app.map, SOURCES.flags, flagFeatures(fc))
      this.app.debug.flagLoads++
    } catch (e) {
      this.app.toasts.show(e)
    }
  }

  async openFlag(id: number) {
    const flags = this.app.panels.flags
    if (!flags) return
    this.app.popup.close()
    this.app.sidePanel.open('flags')
    await flags.showFlag(id)
  }

  /** Outlines an area flag; brings a point flag into view (clear of the legend and the bottom sheet). */
  showFlagOnMap(flag: Flag) {
    const { map } = this.app
    const g = flag.geometry
    const [lon, lat] = [flag.point[0]!, flag.point[1]!]
    if (g.type === 'Polygon') {
      setHighlight(map, [g])
      const xs = g.coordinates[0]!.map((p) => p[0]!)
      const ys = g.coordinates[0]!.map((p) => p[1]!)
      this.app.fit([Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)], { maxZoom: 17 })
    } else {
      setHighlight(map, [])
      this.app.fit([lon - 0.003, lat - 0.002, lon + 0.003, lat + 0.002], { maxZoom: 16 })
    }
  }
}
