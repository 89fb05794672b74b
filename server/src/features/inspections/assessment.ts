// Inspection findings as an assessment indicator (kind inspection_findings): a unit's findings whose
// rectification fell due in the month, each weighted by its severity; the score is the weighted share
// rectified by the deadline (and verified). README "Assessment and ranking" gives the formula.
import type { Severity } from '../../contract/inspections.js'
import { findingFacts } from './repository.js'

export { findingFacts }
export type FindingFact = Awaited<ReturnType<typeof findingFacts>>[number]

export const SEVERITY_WEIGHT: Record<Severity, number> = { general: 1, major: 2, serious: 3 }
