// The demo's inspection campaign: the county's air-pollution inspection for the year the demo is
// loaded in, over the whole county, with a short checklist and limits by severity. No findings: the
// demo inspector records them (README "Inspections and rectification").
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import * as repo from './repository.js'

export async function loadInspectionsDemo(db: Kysely<DB>, now: Date): Promise<string> {
  const year = now.getUTCFullYear()
  const code = `DEMO-AIR-${year}`
  await db.transaction().execute((tx) =>
    repo.insertCampaign(tx, {
      code,
      name: `${year}年大气污染防治专项督察`,
      lineOfWork: '大气',
      startsOn: `${year}-01-01`,
      endsOn: `${year}-12-31`,
      category: 'pollution',
      createdBy: null,
      at: now,
      checklist: [
        { code: 'A1', label: '工地扬尘“六个百分百”落实' },
        { code: 'A2', label: '道路扬尘与渣土运输' },
        { code: 'A3', label: '露天焚烧' },
        { code: 'A4', label: '散乱污企业' },
        { code: 'A5', label: '垃圾与秸秆堆放' },
      ],
      limits: [
        { severity: 'general', amount: 5, unit: 'working_days' },
        { severity: 'major', amount: 3, unit: 'working_days' },
        { severity: 'serious', amount: 1, unit: 'working_days' },
      ],
      cellIds: [],
      unitIds: [],
    }),
  )
  return code
}
