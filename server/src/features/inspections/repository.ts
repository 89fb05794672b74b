// Inspection campaigns and their findings: every statement of the feature. A finding is read together
// with its flag (state, deadline, rectification and verification times, escalation) and its unit.
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'

type Executor = Kysely<DB> | Transaction<DB>
type Severity = DB['inspection_findings']['severity']
type LimitUnit = DB['campaign_limits']['unit']

export interface NewCampaign {
  code: string
  name: string
  lineOfWork: string
  startsOn: string
  endsOn: string
  category: string
  /** null: the system (the demo) */
  createdBy: number | null
  at: Date
  checklist: { code: string; label: string }[]
  limits: { severity: Severity; amount: number; unit: LimitUnit }[]
  cellIds: number[]
  unitIds: number[]
}

export async function insertCampaign(tx: Executor, c: NewCampaign): Promise<number> {
  const { id } = await tx
    .insertInto('inspection_campaigns')
    .values({
      code: c.code,
      name: c.name,
      line_of_work: c.lineOfWork,
      starts_on: c.startsOn,
      ends_on: c.endsOn,
      category: c.category,
      created_by: c.createdBy,
      created_at: c.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await tx
    .insertInto('campaign_checklist_items')
    .values(c.checklist.map((item, i) => ({ campaign_id: id, code: item.code, label: item.label, sort_order: i })))
    .execute()
  await tx
    .insertInto('campaign_limits')
    .values(c.limits.map((l) => ({ campaign_id: id, ...l })))
    .execute()
  if (c.cellIds.length)
    await tx
      .insertInto('campaign_cells')
      .values(c.cellIds.map((cell_id) => ({ campaign_id: id, cell_id })))
      .execute()
  if (c.unitIds.length)
    await tx
      .insertInto('campaign_units')
      .values(c.unitIds.map((unit_id) => ({ campaign_id: id, unit_id })))
      .execute()
  return id
}

/** A second insert of a code a concurrent transaction committed first (PostgreSQL unique_violation). */
export const isDuplicateCampaignCode = (e: unknown) =>
  (e as { code?: string }).code === '23505' &&
  (e as { constraint?: string }).constraint === 'inspection_campaigns_code_key'

export function codeTaken(db: Executor, code: string) {
  return db.selectFrom('inspection_campaigns').select('id').where('code', '=', code).executeTakeFirst()
}

export function unitsByCodes(db: Executor, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([])
  return db.selectFrom('units').select(['id', 'code', 'kind', 'cell_id']).where('code', 'in', codes).execute()
}

export function campaignRows(db: Executor, id?: number) {
  let q = db
    .selectFrom('inspection_campaigns as c')
    .leftJoin('users as u', 'u.id', 'c.created_by')
    .select([
      'c.id',
      'c.code',
      'c.name',
      'c.line_of_work',
      'c.starts_on',
      'c.ends_on',
      'c.category',
      'c.created_at',
      'u.login as created_by_login',
    ])
  if (id !== undefined) q = q.where('c.id', '=', id)
  return q.orderBy('c.starts_on', 'desc').orderBy('c.id', 'desc').execute()
}
export type CampaignRow = Awaited<ReturnType<typeof campaignRows>>[number]

export function checklistOf(db: Executor, ids: number[]) {
  return db
    .selectFrom('campaign_checklist_items')
    .select(['campaign_id', 'code', 'label'])
    .where('campaign_id', 'in', ids)
    .orderBy('campaign_id')
    .orderBy('sort_order')
    .execute()
}

export function limitsOf(db: Executor, ids: number[]) {
  return db
    .selectFrom('campaign_limits')
    .select(['campaign_id', 'severity', 'amount', 'unit'])
    .where('campaign_id', 'in', ids)
    .execute()
}

export function cellsOf(db: Executor, ids: number[]) {
  return db
    .selectFrom('campaign_cells as cc')
    .innerJoin('grid_cells as g', 'g.id', 'cc.cell_id')
    .select(['cc.campaign_id', 'g.id', 'g.code', 'g.name', 'g.level'])
    .where('cc.campaign_id', 'in', ids)
    .orderBy('g.code')
    .execute()
}

export function unitsOf(db: Executor, ids: number[]) {
  return db
    .selectFrom('campaign_units as cu')
    .innerJoin('units as n', 'n.id', 'cu.unit_id')
    .select(['cu.campaign_id', 'n.id', 'n.code', 'n.name', 'n.name_en', 'n.cell_id', 'n.sort_order'])
    .where('cu.campaign_id', 'in', ids)
    .orderBy('n.sort_order')
    .orderBy('n.code')
    .execute()
}

/** The township unit whose cell is `cellId` (the unit a finding in that township goes to). */
export function unitOfTownship(db: Executor, cellId: number) {
  return db.selectFrom('units').select(['id', 'code']).where('cell_id', '=', cellId).executeTakeFirst()
}

export function insertFinding(
  tx: Executor,
  f: {
    campaignId: number
    flagId: number
    checklistCode: string
    severity: Severity
    unitId: number | null
    observedAt: Date
    recordedBy: number
    at: Date
  },
) {
  return tx
    .insertInto('inspection_findings')
    .values({
      campaign_id: f.campaignId,
      flag_id: f.flagId,
      checklist_code: f.checklistCode,
      severity: f.severity,
      unit_id: f.unitId,
      observed_at: f.observedAt,
      recorded_by: f.recordedBy,
      created_at: f.at,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export interface FindingFilter {
  campaignIds?: number[]
  ids?: number[]
  /** only findings dispatched to these cells (a supervisor's) */
  cellIds?: number[]
  /** only findings routed to these units (a unit officer's) */
  unitIds?: number[]
  /** only those whose deadline falls in [from, to) (a month's assessment) */
  dueFrom?: Date
  dueTo?: Date
}

export function findingRows(db: Executor, f: FindingFilter) {
  let q = db
    .selectFrom('inspection_findings as i')
    .innerJoin('inspection_campaigns as c', 'c.id', 'i.campaign_id')
    .innerJoin('flags as fl', 'fl.id', 'i.flag_id')
    .innerJoin('campaign_checklist_items as k', (j) =>
      j.onRef('k.campaign_id', '=', 'i.campaign_id').onRef('k.code', '=', 'i.checklist_code'),
    )
    .innerJoin('users as r', 'r.id', 'i.recorded_by')
    .leftJoin('units as n', 'n.id', 'i.unit_id')
    .leftJoin('grid_cells as g', 'g.id', 'fl.accountable_cell_id')
    .select([
      'i.id',
      'i.campaign_id',
      'c.code as campaign_code',
      'i.flag_id',
      'i.checklist_code',
      'k.label as checklist_label',
      'i.severity',
      'fl.description',
      sql<number>`ST_X(fl.anchor)`.as('lon'),
      sql<number>`ST_Y(fl.anchor)`.as('lat'),
      'i.observed_at',
      'r.login as recorded_by',
      'i.unit_id',
      'n.code as unit_code',
      'n.name as unit_name',
      'n.name_en as unit_name_en',
      'g.code as cell_code',
      'fl.state',
      'fl.complete_due_at',
      'fl.feedback_at',
      'fl.completed_at',
      'fl.closed_at',
      'fl.escalation_level',
    ])
  if (f.campaignIds) q = q.where('i.campaign_id', 'in', f.campaignIds.length ? f.campaignIds : [-1])
  if (f.ids) q = q.where('i.id', 'in', f.ids.length ? f.ids : [-1])
  if (f.cellIds) q = q.where('fl.accountable_cell_id', 'in', f.cellIds.length ? f.cellIds : [-1])
  if (f.unitIds) q = q.where('i.unit_id', 'in', f.unitIds.length ? f.unitIds : [-1])
  if (f.dueFrom) q = q.where('fl.complete_due_at', '>=', f.dueFrom)
  if (f.dueTo) q = q.where('fl.complete_due_at', '<', f.dueTo)
  return q.orderBy('i.observed_at').orderBy('i.id').execute()
}
export type FindingRow = Awaited<ReturnType<typeof findingRows>>[number]

/** Where a new flag was routed: the cell it lies in and its township (read back inside the report's transaction). */
export function flagRouting(tx: Executor, flagId: number) {
  return tx
    .selectFrom('flags')
    .select(['cell_id', 'township_cell_id', 'accountable_cell_id'])
    .where('id', '=', flagId)
    .executeTakeFirstOrThrow()
}

/** Findings whose rectification falls due in [start, end), for the month's assessment. */
export function findingFacts(db: Executor, start: Date, end: Date) {
  return db
    .selectFrom('inspection_findings as i')
    .innerJoin('inspection_campaigns as c', 'c.id', 'i.campaign_id')
    .innerJoin('flags as fl', 'fl.id', 'i.flag_id')
    .select(['i.id', 'i.flag_id', 'i.unit_id', 'i.severity', 'c.code as campaign_code', 'fl.completed_at'])
    .select((e) => e.fn.coalesce('fl.complete_due_at', e.val(new Date(0))).as('complete_due_at'))
    .where('fl.complete_due_at', '>=', start)
    .where('fl.complete_due_at', '<', end)
    .orderBy('fl.complete_due_at')
    .orderBy('i.id')
    .execute()
}
