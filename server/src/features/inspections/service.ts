// Inspection campaigns (专项督察) and their findings. A finding becomes a flag in the same transaction:
// routed to the accountable cell by the rule every flag follows, registered and dispatched at once
// (the inspection office needs no county officer's triage), its rectification deadline the campaign's
// limit for its severity in working time. From there the flag's workflow is the rectification: the
// cell's handler reports it with evidence (feedback with photos), someone else verifies or returns it
// (four-eyes), and an overdue one escalates as every flag does.
import type { Kysely } from 'kysely'
import type { Campaign, CampaignBody, Finding, FindingBody, FindingCounts } from '../../contract/inspections.js'
import { SEVERITIES } from '../../contract/inspections.js'
import type { DB } from '../../db/schema.js'
import { ancestorIds, findCellsByCodes } from '../../db/repositories/cells.repository.js'
import { insertAudit } from '../../db/repositories/audit.repository.js'
import { badRequest, conflict, notFound } from '../../errors.js'
import { isoDay } from '../../services/dates.js'
import { jsonPhotoUploads } from '../flags/photos.js'
import { findCategory, listCategories } from '../flags/repository-categories.js'
import { actorOf, createFlag } from '../flags/service.js'
import { registerAtOnce } from '../flags/service-transition.js'
import type { FlagSettings, FlagUser } from '../flags/settings.js'
import { instant } from '../patrols/service.js'
import * as repo from './repository.js'

const SKEW_MS = 5 * 60 * 1000

// ---------------------------------------------------------------- campaigns

export async function createCampaign(db: Kysely<DB>, user: FlagUser, body: CampaignBody, now: Date) {
  if (body.endsOn < body.startsOn)
    throw badRequest('invalid_period', `"endsOn" (${body.endsOn}) is before "startsOn" (${body.startsOn})`)
  const category = await findCategory(db, body.category)
  if (!category?.active) {
    const known = (await listCategories(db)).filter((c) => c.active).map((c) => c.code)
    throw badRequest(
      'unknown_category',
      `body parameter "category": "${body.category}" is not a flag category; use one of ${known.join(', ')}`,
      { known },
    )
  }
  const codes = body.checklist.map((i) => i.code)
  const repeated = codes.filter((c, i) => codes.indexOf(c) !== i)
  if (repeated.length)
    throw badRequest(
      'duplicate_checklist_item',
      `checklist item code(s) given twice: ${[...new Set(repeated)].join(', ')}`,
    )
  const cellCodes = [...new Set(body.cells ?? [])]
  const cells = await findCellsByCodes(db, cellCodes)
  const missingCells = cellCodes.filter((c) => !cells.some((x) => x.code === c && x.retired_at === null))
  if (missingCells.length)
    throw badRequest('unknown_cell', `no current cell has the code(s) ${missingCells.join(', ')}`, {
      codes: missingCells,
    })
  const unitCodes = [...new Set(body.units ?? [])]
  const units = await repo.unitsByCodes(db, unitCodes)
  const missingUnits = unitCodes.filter((c) => !units.some((u) => u.code === c))
  if (missingUnits.length)
    throw badRequest('unknown_unit', `no unit has the code(s) ${missingUnits.join(', ')}`, { codes: missingUnits })

  const taken = () => conflict('code_taken', `a campaign with the code "${body.code}" exists already`)
  const id = await db
    .transaction()
    .execute(async (tx) => {
      if (await repo.codeTaken(tx, body.code)) throw taken()
      const campaignId = await repo.insertCampaign(tx, {
        ...body,
        createdBy: user.id,
        at: now,
        limits: SEVERITIES.map((severity) => ({ severity, ...body.limits[severity] })),
        cellIds: cells.map((c) => c.id),
        unitIds: units.map((u) => u.id),
      })
      await insertAudit(tx, {
        actor: actorOf(user),
        action: 'create',
        entityType: 'inspection_campaign',
        entityId: campaignId,
        after: body,
      })
      return campaignId
    })
    .catch((e: unknown) => {
      // the same code created by a concurrent request between the check and the insert
      if (repo.isDuplicateCampaignCode(e)) throw taken()
      throw e
    })
  return campaignView(db, id, now)
}

/** A finding's standing now: rectified (verified) on time or late, open, and open past its deadline. */
export function countFindings(rows: readonly repo.FindingRow[], now: Date): FindingCounts {
  const c: FindingCounts = { findings: rows.length, open: 0, overdue: 0, rectifiedOnTime: 0, rectifiedLate: 0 }
  for (const r of rows) {
    if (r.state === 'closed') {
      if (r.completed_at && r.complete_due_at && r.completed_at <= r.complete_due_at) c.rectifiedOnTime++
      else c.rectifiedLate++
    } else {
      c.open++
      if (isOverdue(r, now)) c.overdue++
    }
  }
  return c
}

/** Open, no rectification reported yet, and past the deadline (as the flag escalation sees it). */
export const isOverdue = (r: repo.FindingRow, now: Date) =>
  (r.state === 'dispatched' || r.state === 'in_progress') && r.complete_due_at !== null && r.complete_due_at < now

export async function campaignViews(db: Kysely<DB>, now: Date, id?: number): Promise<Campaign[]> {
  const rows = await repo.campaignRows(db, id)
  if (rows.length === 0) return []
  const ids = rows.map((r) => r.id)
  const [checklist, limits, cells, units, findings] = await Promise.all([
    repo.checklistOf(db, ids),
    repo.limitsOf(db, ids),
    repo.cellsOf(db, ids),
    repo.unitsOf(db, ids),
    repo.findingRows(db, { campaignIds: ids }),
  ])
  return rows.map((r) => {
    const limit = (s: (typeof SEVERITIES)[number]) => {
      const l = limits.find((x) => x.campaign_id === r.id && x.severity === s)!
      return { amount: l.amount, unit: l.unit }
    }
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      lineOfWork: r.line_of_work,
      startsOn: r.starts_on,
      endsOn: r.ends_on,
      category: r.category,
      checklist: checklist.filter((k) => k.campaign_id === r.id).map((k) => ({ code: k.code, label: k.label })),
      limits: { general: limit('general'), major: limit('major'), serious: limit('serious') },
      cells: cells.filter((c) => c.campaign_id === r.id).map((c) => ({ code: c.code, name: c.name, level: c.level })),
      units: units
        .filter((u) => u.campaign_id === r.id)
        .map((u) => ({ code: u.code, name: u.name, nameEn: u.name_en })),
      createdBy: r.created_by_login,
      createdAt: r.created_at.toISOString(),
      counts: countFindings(
        findings.filter((f) => f.campaign_id === r.id),
        now,
      ),
    }
  })
}

export async function campaignView(db: Kysely<DB>, id: number, now: Date): Promise<Campaign> {
  const [view] = await campaignViews(db, now, id)
  if (!view) throw notFound('inspection campaign', id)
  return view
}

// ---------------------------------------------------------------- findings

export function findingToApi(r: repo.FindingRow, now: Date): Finding {
  return {
    id: r.id,
    campaignCode: r.campaign_code,
    flagId: r.flag_id,
    checklistItem: r.checklist_code,
    checklistLabel: r.checklist_label,
    severity: r.severity,
    description: r.description,
    point: [Number(r.lon), Number(r.lat)],
    observedAt: r.observed_at.toISOString(),
    recordedBy: r.recorded_by,
    unit: r.unit_code ? { code: r.unit_code, name: r.unit_name!, nameEn: r.unit_name_en } : null,
    cellCode: r.cell_code,
    state: r.state,
    dueAt: r.complete_due_at?.toISOString() ?? null,
    // a rectification returned is no longer one: shown only while it stands (awaiting verification, or verified)
    rectifiedAt: r.state === 'feedback' || r.state === 'closed' ? (r.feedback_at?.toISOString() ?? null) : null,
    verifiedAt: r.state === 'closed' ? (r.closed_at?.toISOString() ?? null) : null,
    overdue: isOverdue(r, now),
    escalationLevel: r.escalation_level,
  }
}

/** The cells a campaign covers (each with everything under it); empty: the whole county. */
async function coveredCells(db: Kysely<DB>, campaignId: number): Promise<Set<number>> {
  const [cells, units] = await Promise.all([repo.cellsOf(db, [campaignId]), repo.unitsOf(db, [campaignId])])
  return new Set([...cells.map((c) => c.id), ...units.flatMap((u) => (u.cell_id === null ? [] : [u.cell_id]))])
}

/**
 * Records a finding. Checked before anything is written: the campaign (404), the checklist item, the
 * time (not in the future, inside the campaign's period), the photos and the location (covered by the
 * campaign; someone accountable for it: 409 no_accountable_cell). All in one transaction: the flag,
 * its registration and dispatch with the rectification deadline, the finding, the audit.
 */
export async function recordFinding(
  db: Kysely<DB>,
  settings: FlagSettings,
  inspector: FlagUser,
  campaignId: number,
  input: FindingBody,
  now: Date,
): Promise<Finding> {
  const campaign = await campaignView(db, campaignId, now)
  const item = campaign.checklist.find((k) => k.code === input.checklistItem)
  if (!item)
    throw badRequest(
      'unknown_checklist_item',
      `body parameter "checklistItem": "${input.checklistItem}" is not on the checklist of ${campaign.code}; use one of ${campaign.checklist.map((k) => k.code).join(', ')}`,
    )
  const observedAt = instant(input.observedAt, 'observedAt')
  if (observedAt > now.getTime() + SKEW_MS)
    throw badRequest('future_time', 'body parameter "observedAt" lies in the future')
  const day = isoDay(new Date(observedAt), settings.timeZone)
  if (day < campaign.startsOn || day > campaign.endsOn)
    throw badRequest(
      'outside_period',
      `the finding was observed on ${day}, outside the campaign's period ${campaign.startsOn} to ${campaign.endsOn}`,
    )
  const category = await findCategory(db, campaign.category)
  if (!category?.active)
    throw conflict(
      'campaign_category_inactive',
      `the flag category of campaign ${campaign.code} ("${campaign.category}") is no longer active; an admin must reactivate it`,
    )
  const covered = await coveredCells(db, campaignId)
  let findingId = 0
  await createFlag(db, settings, now, inspector, {
    category: campaign.category,
    description: input.description,
    lon: input.lon,
    lat: input.lat,
    photos: jsonPhotoUploads(input.photos),
    // a finding is the inspection office's own record: it is filed even where a flag is already open
    confirmNotDuplicate: true,
    onCreated: async (tx, flagId) => {
      const routing = await repo.flagRouting(tx, flagId)
      if (covered.size > 0) {
        const chain = routing.cell_id === null ? [] : [routing.cell_id, ...(await ancestorIds(tx, routing.cell_id))]
        if (!chain.some((id) => covered.has(id)))
          throw badRequest(
            'outside_campaign',
            `the location (lon ${input.lon}, lat ${input.lat}) lies outside the cells and units campaign ${campaign.code} covers`,
          )
      }
      const details = { campaign: campaign.code, checklistItem: item.code, severity: input.severity }
      await registerAtOnce(tx, settings, now, inspector, flagId, campaign.limits[input.severity], { finding: details })
      const township = (await repo.flagRouting(tx, flagId)).township_cell_id
      const unit = township === null ? undefined : await repo.unitOfTownship(tx, township)
      const { id } = await repo.insertFinding(tx, {
        campaignId,
        flagId,
        checklistCode: item.code,
        severity: input.severity,
        unitId: unit?.id ?? null,
        observedAt: new Date(observedAt),
        recordedBy: inspector.id,
        at: now,
      })
      findingId = id
      await insertAudit(tx, {
        actor: actorOf(inspector),
        action: 'finding',
        entityType: 'inspection_campaign',
        entityId: campaignId,
        after: { findingId: id, flagId, ...details, unit: unit?.code ?? null, point: [input.lon, input.lat] },
      })
    },
  })
  const [row] = await repo.findingRows(db, { ids: [findingId] })
  return findingToApi(row!, now)
}
