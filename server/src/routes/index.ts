// One route plugin per resource, mounted under /api.
import type { FastifyPluginAsync } from 'fastify'
import accountability from './accountability/index.js'
import assessment from '../features/assessment/routes.js'
import bulletins, { bulletinSnapshotWriter } from '../features/bulletin/routes.js'
import cells from './cells/index.js'
import coverage from './coverage/index.js'
import edits from './edits/index.js'
import flags from '../features/flags/routes.js'
import ledgers from '../features/ledgers/routes.js'
import continuity from '../features/continuity/routes.js'
import allowedGaps from './coverage/allowed-gaps.js'
import health from './health/index.js'
import imports from './imports/index.js'
import inspections from '../features/inspections/routes.js'
import mapConfig from './map-config/index.js'
import notifications from '../features/notifications/routes.js'
import objects from '../features/objects/routes.js'
import patrols from '../features/patrols/routes.js'
import parcels from './parcels/index.js'
import people from './people/index.js'
import regions from './regions/index.js'
import responsibilities from './responsibilities/index.js'
import search from './search/index.js'
import staffingRules from './staffing-rules/index.js'
import session from './session/index.js'
import users from './users/index.js'
import units from '../features/units/routes.js'

const routes: FastifyPluginAsync = async (app) => {
  for (const plugin of [
    health,
    mapConfig,
    session,
    users,
    regions,
    cells,
    parcels,
    objects,
    patrols,
    people,
    responsibilities,
    accountability,
    coverage,
    allowedGaps,
    edits,
    staffingRules,
    flags,
    inspections,
    ledgers,
    continuity,
    search,
    imports,
    units,
    bulletins,
    notifications,
  ]) {
    await app.register(plugin)
  }
  // closing a month also freezes its bulletin; the bulletin reads the assessment, so the assessment
  // learns of the bulletin only here (no import between the two features)
  await app.register(assessment, { onMonthClosed: bulletinSnapshotWriter(app.ctx) })
}
export default routes
