// The legend's layer switches: a group shown or hidden on the map; on a phone the unfolded legend is
// the "layers" panel, so folding it is kept in the URL like any other panel.
import type { MapConfig, Session } from '../api/types.js'
import { setGroupVisible } from '../map/map-view.js'
import { Legend } from '../panels/legend.js'
import type { AppContext } from './context.js'
import { PHONE } from './side-panel.js'

export function layerToggles(app: AppContext, config: MapConfig, session: Session | null): Legend {
  const phone = matchMedia(PHONE).matches
  return new Legend({
    basemap: Boolean(config.basemapUrl),
    flags: Boolean(session),
    objects: Boolean(session),
    collapsed: phone && app.url.state.panel !== 'layers',
    onToggle: (group, visible) => setGroupVisible(app.map, group, visible),
    onCollapse: (collapsed) => {
      const panel = app.url.state.panel
      if (matchMedia(PHONE).matches)
        app.url.setPanel(collapsed ? (panel === 'layers' ? undefined : panel) : 'layers', false)
    },
  })
}
