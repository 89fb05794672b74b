// Who may read flags on a map: shared by GET /api/flags.geojson and the flags vector-tile layer, so
// the two can never disagree. Supervisors see only the flags dispatched or escalated to their cells.
import type { UserRole } from '../../db/schema.js'
import type { Access } from '../../plugins/access.js'

export const FLAG_MAP_ROLES: readonly UserRole[] = ['admin', 'viewer', 'inspector', 'supervisor', 'unit_officer']
export const FLAG_MAP_ACCESS: Access = { roles: FLAG_MAP_ROLES }
