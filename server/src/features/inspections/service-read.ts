// Reading a campaign's findings and its report (督查通报): findings by unit, checklist item and severity,
// each counted as rectified on time, rectified late, still open and overdue, as of now.
import type { Kysely } from 'kysely'
import type { CampaignReport, FindingList } from '../../contract/inspections.js'
import { SEVERITIES } from '../../contract/inspections.js'
import type { DB, UserRole } from '../../db/schema.js'
import { supervisorCellIds } from '../../services/cells.service.js'
import { unitsOfPerson } from '../units/service.js'
import * as repo from './repository.js'
import { campaignView, countFindings, findingToApi } from './service.js'

export interface Reader {
  role: UserRole
  personId: number | null
}

/**
 * A campaign's findings as the reader may see them: a supervisor those dispatched to their cells, a unit
 * officer those routed to their units, the other roles all.
 */
export async function listFindings(
  db: Kysely<DB>,
  reader: Reader,
  campaignId: number,
  now: Date,
  today: string,
): Promise<FindingList> {
  await campaignView(db, campaignId, now)
  const filter: repo.FindingFilter = { campaignIds: [campaignId] }
  if (reader.role === 'supervisor')
    filter.cellIds = reader.personId === null ? [] : [...(await supervisorCellIds(db, reader.personId, today))]
  if (reader.role === 'unit_officer')
    filter.unitIds = reader.personId === null ? [] : await unitsOfPerson(db, reader.personId)
  const rows = await repo.findingRows(db, filter)
  return { findings: rows.map((r) => findingToApi(r, now)) }
}

export async function campaignReport(db: Kysely<DB>, campaignId: number, now: Date): Promise<CampaignReport> {
  const campaign = await campaignView(db, campaignId, now)
  const rows = await repo.findingRows(db, { campaignIds: [campaignId] })
  const units = new Map<string, CampaignReport['units'][number]['unit']>()
  for (const u of campaign.units) units.set(u.code, u)
  for (const r of rows)
    if (r.unit_code && !units.has(r.unit_code))
      units.set(r.unit_code, { code: r.unit_code, name: r.unit_name!, nameEn: r.unit_name_en })
  const byUnit = [...units.values()].map((unit) => ({
    unit,
    counts: countFindings(
      rows.filter((r) => r.unit_code === unit!.code),
      now,
    ),
  }))
  const unrouted = rows.filter((r) => r.unit_code === null)
  if (unrouted.length) byUnit.push({ unit: null, counts: countFindings(unrouted, now) })
  return {
    campaign: { code: campaign.code, name: campaign.name, startsOn: campaign.startsOn, endsOn: campaign.endsOn },
    asOf: now.toISOString(),
    totals: countFindings(rows, now),
    units: byUnit,
    checklist: campaign.checklist.map((k) => ({
      ...k,
      counts: countFindings(
        rows.filter((r) => r.checklist_code === k.code),
        now,
      ),
    })),
    severities: SEVERITIES.map((severity) => ({
      severity,
      counts: countFindings(
        rows.filter((r) => r.severity === severity),
        now,
      ),
    })),
  }
}
