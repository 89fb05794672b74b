// The small county of the bulletin's tests (bulletin.test.ts, bulletin-closed.test.ts) and how they read
// the documents back: XLSX with exceljs, PDF text with pdftotext.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { expect } from 'vitest'
import { SYSTEM_ACTOR } from '../../server/src/db/repositories/audit.repository.js'
import { insertFlag } from '../../server/src/features/flags/repository.js'
import { createUnit, syncTownshipUnits } from '../../server/src/features/units/service.js'
import { signedIn, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

export const NOW = new Date('2026-11-20T02:00:00Z')
// the ledger deadline of October (18:00 in Asia/Shanghai on the 5th working day of November)
export const DUE = new Date('2026-11-06T10:00:00Z')

// the county: two townships side by side; 许良镇's only village covers its western half (a gap in the
// east) and nobody is on duty in it; 清化镇's village covers all of it and both are staffed
export async function bulletinWorld(t: TestApp) {
  const db = t.database.db
  const f = factories(db)
  const region = await f.region('R1', box(113, 35, 113.02, 35.01))
  await f.cell({ regionId: region.id, code: 'BA', level: 1, geometry: box(113, 35, 113.02, 35.01), name: '博爱县' })
  const t1 = await f.cell({
    regionId: region.id,
    code: 'XL',
    level: 2,
    parentCode: 'BA',
    geometry: box(113, 35, 113.01, 35.01),
    name: '许良镇',
  })
  const t2 = await f.cell({
    regionId: region.id,
    code: 'QH',
    level: 2,
    parentCode: 'BA',
    geometry: box(113.01, 35, 113.02, 35.01),
    name: '清化镇',
  })
  await f.cell({ regionId: region.id, code: 'XL1', level: 3, parentCode: 'XL', geometry: box(113, 35, 113.005, 35.01) })
  const q1 = await f.cell({
    regionId: region.id,
    code: 'QH1',
    level: 3,
    parentCode: 'QH',
    geometry: box(113.01, 35, 113.02, 35.01),
  })
  await f.staff(t2.id)
  await f.staff(q1.id)

  await syncTownshipUnits(db, SYSTEM_ACTOR, NOW)
  const head = await f.person('局长')
  await createUnit(
    db,
    SYSTEM_ACTOR,
    { code: 'sthj', name: '生态环境局', nameEn: 'Ecology Bureau', headPersonId: head.id },
    NOW,
  )
  await db.updateTable('units').set({ name_en: 'Xuliang' }).where('code', '=', 'XL').execute()
  const unitId = async (code: string) =>
    (await db.selectFrom('units').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id

  // one measure of the air plan carried by all three units; October's entries: 许良镇 never submitted,
  // 生态环境局's was returned, 清化镇's accepted on time
  await db
    .insertInto('indicators')
    .values({ code: 'sites', name: '工地数', name_en: 'Sites', direction: 'higher_is_better', min_value: 0 })
    .execute()
  await db
    .insertInto('work_lines')
    .values({ code: 'air', name: '大气', name_en: 'Air', lead_unit_id: await unitId('sthj') })
    .execute()
  const plan = await db
    .insertInto('plans')
    .values({ line_code: 'air', year: 2026, title: '2026 大气', created_at: NOW })
    .returning('id')
    .executeTakeFirstOrThrow()
  const measure = await db
    .insertInto('measures')
    .values({
      plan_id: plan.id,
      code: 'air-01',
      title: '建筑工地扬尘治理',
      title_en: 'Dust control on building sites',
      lead_unit_id: await unitId('sthj'),
      indicator_code: 'sites',
      target_value: 10,
      responsible_person_id: head.id,
      created_at: NOW,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const entry = async (code: string, state: 'draft' | 'returned' | 'accepted', submittedAt: Date | null) => {
    const unit_id = await unitId(code)
    await db.insertInto('measure_units').values({ measure_id: measure.id, unit_id }).execute()
    await db
      .insertInto('ledger_entries')
      .values({
        measure_id: measure.id,
        unit_id,
        month: '2026-10-01',
        state,
        progress: state === 'accepted' ? 'done' : 'not_started',
        due_at: DUE,
        submitted_at: submittedAt,
        created_at: NOW,
        updated_at: NOW,
      })
      .execute()
  }
  await entry('XL', 'draft', null)
  await entry('sthj', 'returned', new Date('2026-11-03T02:00:00Z'))
  await entry('QH', 'accepted', new Date('2026-11-02T02:00:00Z'))

  // flags due in October: 许良镇's never completed, 清化镇's one completed on time and one late
  const flag = async (township: number, due: string, completed: string | null) => {
    const id = await insertFlag(db, {
      category: 'dumping',
      description: '',
      geojson: JSON.stringify({ type: 'Point', coordinates: [113.005, 35.005] }),
      reportedBy: null,
      at: new Date('2026-10-01T00:00:00Z'),
      routing: {
        cell_id: township,
        accountable_cell_id: township,
        township_cell_id: township,
        missing_level: null,
        gap_parent_cell_id: null,
        routing_rule: 'direct',
        routed_on: '2026-10-01',
        unowned: false,
      },
    })
    await db
      .updateTable('flags')
      .set({
        state: completed ? 'closed' : 'dispatched',
        complete_due_at: new Date(due),
        completed_at: completed ? new Date(completed) : null,
        closed_at: completed ? new Date(completed) : null,
      })
      .where('id', '=', id)
      .execute()
    return id
  }
  await flag(t1.id, '2026-10-15T10:00:00Z', null)
  await flag(t2.id, '2026-10-20T10:00:00Z', '2026-10-19T10:00:00Z')
  await flag(t2.id, '2026-10-21T10:00:00Z', '2026-10-25T10:00:00Z')
  await flag(t1.id, '2026-11-15T10:00:00Z', null) // due in November: not October's

  const admin = await signedIn(t, 'admin')
  const viewer = await signedIn(t, 'viewer')
  const scheme = await t.app.inject({
    method: 'PUT',
    url: '/api/assessment/schemes/2026',
    headers: admin.headers,
    payload: {
      redListSize: 1,
      blackListSize: 1,
      indicators: [
        { code: 'timely', kind: 'ledger_timeliness', name: '台账及时率', nameEn: 'Ledger timeliness', weight: 1 },
        {
          code: 'vacancy',
          kind: 'vacancy_days',
          name: '空岗天数',
          nameEn: 'Vacancy-days',
          weight: 1,
          appliesTo: 'township',
        },
      ],
    },
  })
  expect(scheme.statusCode, scheme.body).toBe(200)
  return { admin, viewer }
}

export async function workbook(buffer: Buffer) {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(buffer as any)
  return book
}
export const values = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1)

export function pdfText(pdf: Buffer): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bulletin-')), 'b.pdf')
  writeFileSync(file, pdf)
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
}

/** GET as `headers`, expecting 200. */
export async function fetchOk(t: TestApp, url: string, headers: Record<string, string>) {
  const res = await t.app.inject({ method: 'GET', url, headers })
  expect(res.statusCode, res.body).toBe(200)
  return res
}
