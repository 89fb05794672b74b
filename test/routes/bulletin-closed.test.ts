// A closed month's bulletin is frozen at close (bulletin_snapshots, written in the closing transaction):
// after a late submission, a new flag, a map edit and a renamed unit, the XLSX and PDF of the month are
// those downloaded right after closing, while the live figures did change.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { bulletinData } from '../../server/src/features/bulletin/data.js'
import { insertFlag } from '../../server/src/features/flags/repository.js'
import { bump as bumpDataVersion } from '../../server/src/services/data-version.js'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'
import { bulletinWorld, fetchOk, NOW, pdfText, workbook } from './bulletin.helpers.js'

let t: TestApp
let viewer: Awaited<ReturnType<typeof signedIn>>
let admin: Awaited<ReturnType<typeof signedIn>>

beforeAll(async () => {
  t = await testApp()
  t.clock.now = NOW
  ;({ admin, viewer } = await bulletinWorld(t))
})
afterAll(async () => t?.close())

const download = (url: string) => fetchOk(t, url, viewer.headers)
const api = async <T>(url: string): Promise<T> => (await fetchOk(t, url, viewer.headers)).json() as T

it('a closed month is frozen at close: a late submission, a new flag, a map edit and a renamed unit leave its bulletin as it was', async () => {
  const db = t.database.db
  const close = await t.app.inject({ method: 'POST', url: '/api/assessment/2026-10/close', headers: admin.headers })
  expect(close.statusCode, close.body).toBe(200)
  const sheets = async (lang: 'zh' | 'en') => {
    const book = await workbook((await download(`/api/bulletins/2026-10?format=xlsx&lang=${lang}`)).rawPayload)
    return book.worksheets.map((w) => ({
      name: w.name,
      rows: w
        .getSheetValues()
        .map((r) => (Array.isArray(r) ? r.map((v) => (v instanceof Date ? v.toISOString() : v)) : r)),
    }))
  }
  const pdf = async (lang: 'zh' | 'en') =>
    pdfText((await download(`/api/bulletins/2026-10?format=pdf&lang=${lang}`)).rawPayload)
  const before = {
    xlsx: await sheets('zh'),
    xlsxEn: await sheets('en'),
    pdf: await pdf('zh'),
    pdfEn: await pdf('en'),
  }
  const live = () =>
    bulletinData(db, '2026-10', {
      now: NOW,
      timeZone: t.app.ctx.config.serviceTimeZone,
      sliverM2: t.app.ctx.config.sliverToleranceM2,
    })
  const liveBefore = await live()
  expect(liveBefore.overdueLedgers.map((g) => g.unit.code)).toContain('XL')
  expect(liveBefore.townships.find((x) => x.unit.code === 'XL')!.gapCount).toBe(1)

  // 许良镇 submits October late; a new October flag of 清化镇 is past its deadline; 许良镇's gap is filled
  await db
    .updateTable('ledger_entries')
    .set({ state: 'submitted', submitted_at: NOW })
    .where(
      'unit_id',
      '=',
      (await db.selectFrom('units').select('id').where('code', '=', 'XL').executeTakeFirstOrThrow()).id,
    )
    .execute()
  const qh = await db.selectFrom('grid_cells').select('id').where('code', '=', 'QH').executeTakeFirstOrThrow()
  await insertFlag(db, {
    category: 'dumping',
    description: '',
    geojson: JSON.stringify({ type: 'Point', coordinates: [113.015, 35.005] }),
    reportedBy: null,
    at: new Date('2026-10-02T00:00:00Z'),
    routing: {
      cell_id: qh.id,
      accountable_cell_id: qh.id,
      township_cell_id: qh.id,
      missing_level: null,
      gap_parent_cell_id: null,
      routing_rule: 'direct',
      routed_on: '2026-10-02',
      unowned: false,
    },
  }).then((id) =>
    db
      .updateTable('flags')
      .set({ complete_due_at: new Date('2026-10-10T10:00:00Z') })
      .where('id', '=', id)
      .execute(),
  )
  const region = await db.selectFrom('regions').select('id').executeTakeFirstOrThrow()
  await factories(db).cell({
    regionId: region.id,
    code: 'XL2',
    level: 3,
    parentCode: 'XL',
    geometry: box(113.005, 35, 113.01, 35.01),
  })
  bumpDataVersion()
  // and 清化镇 is renamed
  await db.updateTable('units').set({ name: '清化新镇', name_en: 'Qinghua New' }).where('code', '=', 'QH').execute()

  // the live figures did change (so the comparison below can fail)
  const liveAfter = await live()
  expect(liveAfter.overdueLedgers.map((g) => g.unit.code)).not.toContain('XL')
  expect(liveAfter.overdueFlags.find((g) => g.township.code === 'QH')!.flags.length).toBe(
    liveBefore.overdueFlags.find((g) => g.township.code === 'QH')!.flags.length + 1,
  )
  expect(liveAfter.townships.find((x) => x.unit.code === 'XL')!.gapCount).toBe(0)

  expect(await sheets('zh')).toEqual(before.xlsx)
  expect(await sheets('en')).toEqual(before.xlsxEn)
  expect(await pdf('zh')).toBe(before.pdf)
  expect(await pdf('en')).toBe(before.pdfEn)
  expect(before.pdf).toContain('清化镇')
  expect(before.pdf).not.toContain('清化新镇')

  // the closed assessment keeps the names it was closed with; an open month shows the new one
  const closed = await api<any>('/api/assessment/2026-10')
  expect(closed.groups.township.map((r: any) => r.unit.name)).toContain('清化镇')
  expect(closed.groups.township.map((r: any) => r.unit.name)).not.toContain('清化新镇')
  const drill = await api<any>('/api/assessment/2026-10/units/QH')
  expect([drill.unit.name, drill.unit.nameEn]).toEqual(['清化镇', null])
  const open = await api<any>('/api/assessment/2026-11')
  expect(open.groups.township.map((r: any) => r.unit.name)).toContain('清化新镇')

  // the snapshot itself is a record: never changed
  await expect(
    db.updateTable('bulletin_snapshots').set({ data: '{}' }).where('month', '=', '2026-10-01').execute(),
  ).rejects.toThrow()
})
