// The county officers' downloads of the flags the list's filters select: CSV and GeoJSON, served by
// the server (the links carry the filters).
import { flagExportUrl } from '../../api/client.js'
import type { FlagFilters } from '../../api/types.js'
import { t } from '../../i18n/index.js'
import { h } from '../../util/dom.js'

export function exportLinks(filters: FlagFilters): HTMLElement {
  return h(
    'span',
    { class: 'exports' },
    h(
      'a',
      {
        class: 'button small-button',
        href: flagExportUrl('csv', filters),
        download: 'flags.csv',
        'data-testid': 'export-csv',
      },
      t('exportCsv'),
    ),
    h(
      'a',
      {
        class: 'button small-button',
        href: flagExportUrl('geojson', filters),
        download: 'flags.geojson',
        'data-testid': 'export-geojson',
      },
      t('exportGeojson'),
    ),
  )
}
