// The API contract: every route's request and response schemas (TypeBox) and their Static<> types. The
// route plugins take their schemas from here, the web app imports the types (web/src/api/types.ts),
// and test/contract/openapi-drift.test.ts checks the served OpenAPI document against CONTRACT_ROUTES.
import { accountabilityRoutes } from './accountability.js'
import { assessmentRoutes } from './assessment.js'
import { bulletinRoutes } from './bulletin.js'
import { cellsRoutes } from './cells.js'
import { continuityRoutes } from './continuity.js'
import { coverageRoutes } from './coverage.js'
import { editsRoutes } from './edits.js'
import { flagsRoutes } from './flags-routes.js'
import { healthRoutes } from './health.js'
import { importsRoutes } from './imports.js'
import { inspectionsRoutes } from './inspections.js'
import { ledgersRoutes } from './ledgers.js'
import { mapConfigRoutes } from './map-config.js'
import { notificationsRoutes } from './notifications.js'
import { objectsRoutes } from './objects.js'
import { patrolsRoutes } from './patrols.js'
import { parcelsRoutes } from './parcels.js'
import { peopleRoutes } from './people.js'
import { regionsRoutes } from './regions.js'
import { responsibilitiesRoutes } from './responsibilities.js'
import { searchRoutes } from './search.js'
import { sessionRoutes } from './session.js'
import { staffingRulesRoutes } from './staffing-rules.js'
import { tilesRoutes } from './tiles.js'
import { unitsRoutes } from './units.js'
import { usersRoutes } from './users.js'
import type { RouteContract } from './common.js'

export * from './common.js'
export * from './accountability.js'
export * from './assessment.js'
export * from './bulletin.js'
export * from './cells.js'
export * from './continuity.js'
export * from './coverage.js'
export * from './edits.js'
export * from './flags.js'
export * from './flags-routes.js'
export * from './health.js'
export * from './imports.js'
export * from './inspections.js'
export * from './ledgers.js'
export * from './map-config.js'
export * from './notifications.js'
export * from './objects.js'
export * from './patrols.js'
export * from './parcels.js'
export * from './people.js'
export * from './regions.js'
export * from './responsibilities.js'
export * from './search.js'
export * from './session.js'
export * from './staffing-rules.js'
export * from './tiles.js'
export * from './units.js'
export * from './users.js'

/** Every route in the contract, keyed 'METHOD /path' as served (path parameters as :name). */
export const CONTRACT_ROUTES: Record<string, RouteContract> = {
  ...accountabilityRoutes,
  ...assessmentRoutes,
  ...bulletinRoutes,
  ...cellsRoutes,
  ...continuityRoutes,
  ...coverageRoutes,
  ...editsRoutes,
  ...flagsRoutes,
  ...healthRoutes,
  ...importsRoutes,
  ...inspectionsRoutes,
  ...ledgersRoutes,
  ...mapConfigRoutes,
  ...notificationsRoutes,
  ...objectsRoutes,
  ...patrolsRoutes,
  ...parcelsRoutes,
  ...peopleRoutes,
  ...regionsRoutes,
  ...responsibilitiesRoutes,
  ...searchRoutes,
  ...sessionRoutes,
  ...staffingRulesRoutes,
  ...tilesRoutes,
  ...unitsRoutes,
  ...usersRoutes,
}
