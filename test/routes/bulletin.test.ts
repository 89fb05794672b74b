// GET /api/bulletins/{month}: the monthly bulletin as XLSX and PDF over a small county. The XLSX is read
// back with exceljs and compared cell by cell with the API's figures (assessment, coverage, continuity)
// and with what the test planted; the PDF's text is extracted with pdftotext and its first page rendered
// with pdftoppm (the PNG is kept under test-artifacts/bulletin/ for a look).
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '../../server/src/db/repositories/audit.repository.js'
import { bulletinData } from '../../server/src/features/bulletin/data.js'
import { insertFlag } from '../../server/src/features/flags/repository.js'
import { bump as bumpDataVersion } from '../../server/src/services/data-version.js'
import { createUnit, syncTownshipUnits } from '../../server/src/features/units/service.js'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

let t: TestApp
let viewer: Awaited<ReturnType<typeof signedIn>>
let admin: Awaited<ReturnType<typeof signedIn>>
const NOW = new Date('2026-11-20T02:00:00Z')
// the ledger deadline of October (18:00 in Asia/Shanghai on the 5th working day of November)
const DUE = new Date('2026-11-06T10:00:00Z')

// the county: two townships side by side; 许良镇's only village covers its western half (a gap in the
// east) and nobody is on duty in it; 清化镇's village covers all of it and both are staffed
beforeAll(async () => {
  t = await testApp()
  t.clock.now = NOW
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

  admin = await signedIn(t, 'admin')
  viewer = await signedIn(t, 'viewer')
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
})
afterAll(async () => t?.close())

async function download(url: string, headers = viewer.headers) {
  const res = await t.app.inject({ method: 'GET', url, headers })
  expect(res.statusCode, res.body).toBe(200)
  return res
}
async function api<T>(url: string): Promise<T> {
  const res = await t.app.inject({ method: 'GET', url, headers: viewer.headers })
  expect(res.statusCode, res.body).toBe(200)
  return res.json() as T
}
async function workbook(buffer: Buffer) {
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(buffer as any)
  return book
}
const values = (sheet: ExcelJS.Worksheet, row: number) => (sheet.getRow(row).values as unknown[]).slice(1)
/** what a cell holds for a figure that may be absent */
const cell = (v: number | null) => (v === null ? undefined : v)

function pdfText(pdf: Buffer): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'bulletin-')), 'b.pdf')
  writeFileSync(file, pdf)
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
}

describe('GET /api/bulletins/:month', () => {
  it('XLSX: the ranking and the lists equal GET /api/assessment/{month}, cell by cell', async () => {
    const res = await download('/api/bulletins/2026-10?format=xlsx')
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    expect(res.headers['content-disposition']).toBe('attachment; filename="bulletin-2026-10.xlsx"')
    const book = await workbook(res.rawPayload)
    const a = await api<any>('/api/assessment/2026-10')
    expect(book.getWorksheet('通报')!.getCell('A1').value).toBe('博爱县 2026年10月 环境网格化监管考核通报')

    for (const [group, sheetName] of [
      ['township', '乡镇排名'],
      ['department', '县直部门排名'],
    ] as const) {
      const sheet = book.getWorksheet(sheetName)!
      expect(a.groups[group].length).toBeGreaterThan(0)
      expect(sheet.rowCount).toBe(1 + a.groups[group].length)
      a.groups[group].forEach((r: any, i: number) => {
        const row = values(sheet, i + 2)
        expect(row[0]).toBe(cell(r.rank))
        expect(row[1]).toBe(r.unit.name)
        expect(row[2]).toBe(cell(r.score))
        expect(row[3]).toBe(cell(r.change))
        expect(row[4]).toBe(cell(r.previousRank))
        expect(row[5]).toBe(cell(r.previousScore))
      })
    }
    // townships are scored (someone is ranked first), and 清化镇 (on time, fully staffed) leads
    expect(values(book.getWorksheet('乡镇排名')!, 2).slice(0, 2)).toEqual([1, '清化镇'])

    const lists = book.getWorksheet('红黑榜')!
    const expected = [
      ...['township', 'department'].flatMap((g) =>
        a.redList[g].map((e: any) => ['红榜', e.unit.name, e.rank, e.score]),
      ),
      ...['township', 'department'].flatMap((g) =>
        a.blackList[g].map((e: any) => ['黑榜', e.unit.name, e.rank, e.score]),
      ),
    ]
    expect(lists.rowCount - 1).toBe(expected.length)
    expected.forEach((e, i) => {
      const row = values(lists, i + 2)
      expect([row[0], row[3], row[2], row[4]]).toEqual(e)
    })
  })

  it('XLSX: overdue entries and flags as planted; gaps and vacancy-days equal the coverage and continuity APIs', async () => {
    const book = await workbook((await download('/api/bulletins/2026-10?format=xlsx')).rawPayload)
    const byUnit = book.getWorksheet('逾期台账（按单位）')!
    expect(byUnit.rowCount).toBe(3)
    expect([values(byUnit, 2), values(byUnit, 3)]).toEqual(
      expect.arrayContaining([
        ['许良镇', '乡镇', 1],
        ['生态环境局', '县直部门', 1],
      ]),
    )
    // the same counts as the ledger summary (GET /api/ledgers/summary)
    const summary = await api<any>('/api/ledgers/summary?month=2026-10')
    const overdueUnits = summary.units.filter((u: any) => u.overdue > 0)
    expect(overdueUnits.length).toBe(byUnit.rowCount - 1)
    const sheetCounts = new Map([2, 3].map((r) => [values(byUnit, r)[0], values(byUnit, r)[2]]))
    for (const u of overdueUnits) expect(sheetCounts.get(u.unit.name), u.unit.code).toBe(u.overdue)
    const items = book.getWorksheet('逾期台账明细')!
    expect(values(items, 2).slice(1)).toEqual(['air-01', '建筑工地扬尘治理', '2026-11-06 18:00', expect.any(String)])

    const flags = book.getWorksheet('逾期问题（按乡镇）')!
    expect(flags.rowCount).toBe(3)
    const flagRows = [values(flags, 2), values(flags, 3)].map((r) => r.slice(0, 2))
    expect(flagRows).toEqual(
      expect.arrayContaining([
        ['许良镇', 1],
        ['清化镇', 1],
      ]),
    )

    const towns = book.getWorksheet('网格缺口与空岗天数（按乡镇）')!
    const vacancy = await api<any>('/api/continuity/vacancy-days?month=2026-10')
    const rows = new Map([2, 3].map((r) => [values(towns, r)[0], values(towns, r)]))
    for (const [code, name] of [
      ['XL', '许良镇'],
      ['QH', '清化镇'],
    ]) {
      const coverage = await api<any>(`/api/coverage?cell=${code}`)
      const gaps = coverage.gaps.filter((g: any) => g.allowed === null)
      const row = rows.get(name)!
      expect(row[1]).toBe(gaps.length)
      expect(row[2]).toBeCloseTo(
        gaps.reduce((s: number, g: any) => s + g.areaM2, 0),
        1,
      )
      const township = vacancy.townships.find((x: any) => x.township.code === code)
      expect(row[3]).toBe(township.vacantDays)
      expect(row[4]).toBe(township.understaffedDays)
    }
    // 许良镇's eastern half is a gap (about 0.005° × 0.01°); it and its village were vacant all October
    expect(rows.get('许良镇')![1]).toBe(1)
    expect(rows.get('许良镇')![2] as number).toBeGreaterThan(400_000)
    expect(rows.get('许良镇')![3]).toBe(2 * 31)
    expect(rows.get('清化镇')!.slice(1, 4)).toEqual([0, 0, 0])
  })

  it('XLSX in English with lang=en', async () => {
    const book = await workbook((await download('/api/bulletins/2026-10?format=xlsx&lang=en')).rawPayload)
    expect(book.worksheets[0]!.getCell('A1').value).toMatch(/bulletin, October 2026$/)
    const names = [2, 3].map((r) => values(book.getWorksheet('Ranking townships')!, r)[1])
    expect(names).toEqual(expect.arrayContaining(['Xuliang', '清化镇']))
  })

  it('PDF: Chinese unit names and the scores in its text; page 1 rendered is not blank', async () => {
    const res = await download('/api/bulletins/2026-10?format=pdf')
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.headers['content-disposition']).toBe('attachment; filename="bulletin-2026-10.pdf"')
    const pdf = res.rawPayload
    const text = pdfText(pdf)
    const a = await api<any>('/api/assessment/2026-10')
    expect(text).toContain('博爱县 2026年10月 环境网格化监管考核通报')
    for (const r of [...a.groups.township, ...a.groups.department]) {
      expect(text).toContain(r.unit.name)
      if (r.score !== null) expect(text).toContain(r.score.toFixed(2))
    }
    expect(text).toContain('建筑工地扬尘治理')

    const dir = path.resolve('test-artifacts/bulletin')
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'bulletin-2026-10.pdf'), pdf)
    execFileSync(
      'pdftoppm',
      ['-png', '-r', '80', '-singlefile', '-f', '1', '-l', '1', 'bulletin-2026-10.pdf', 'bulletin-2026-10-page1'],
      { cwd: dir },
    )
    const png = readFileSync(path.join(dir, 'bulletin-2026-10-page1.png'))
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    // pixel statistics of the same page in grey (PGM: header, then one byte per pixel)
    const pgm = execFileSync('pdftoppm', [
      '-gray',
      '-r',
      '40',
      '-singlefile',
      '-f',
      '1',
      '-l',
      '1',
      path.join(dir, 'bulletin-2026-10.pdf'),
    ])
    const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'))!
    const pixels = pgm.subarray(header[0].length)
    expect(pixels.length).toBe(Number(header[1]) * Number(header[2]))
    const dark = pixels.filter((p) => p < 128).length
    expect(dark / pixels.length).toBeGreaterThan(0.005)
    expect(dark / pixels.length).toBeLessThan(0.5)
  })

  it('a month without assessment figures still gives a document that says so', async () => {
    const book = await workbook((await download('/api/bulletins/2025-03?format=xlsx')).rawPayload)
    expect(values(book.getWorksheet('通报')!, 3)).toEqual(['本月无考核数据（未设置考核方案或无考核单位）。'])
    expect(values(book.getWorksheet('逾期台账（按单位）')!, 2)).toEqual(['无'])
    const text = pdfText((await download('/api/bulletins/2025-03?format=pdf')).rawPayload)
    expect(text).toContain('本月无考核数据')
  })

  it('bad input is refused with 400 naming the problem; anonymous 401; nothing written', async () => {
    const audit = async () =>
      (
        await t.database.db
          .selectFrom('audit_log')
          .select((e) => e.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n
    const before = await audit()
    for (const [url, name] of [
      ['/api/bulletins/2026-13?format=pdf', 'month'],
      ['/api/bulletins/202610?format=pdf', 'month'],
      ['/api/bulletins/2026-10', 'format'],
      ['/api/bulletins/2026-10?format=docx', 'format'],
      ['/api/bulletins/2026-10?format=pdf&lang=fr', 'lang'],
    ]) {
      const res = await t.app.inject({ method: 'GET', url, headers: viewer.headers })
      expect(res.statusCode, url).toBe(400)
      expect(res.json().error.message, url).toContain(name)
    }
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/bulletins/2026-10?format=pdf' })
    expect(anonymous.statusCode).toBe(401)
    expect(await audit()).toBe(before)
  })

  it('every signed-in role may download it', async () => {
    // a supervisor and a unit officer act for a person
    const f = factories(t.database.db)
    for (const role of ['admin', 'viewer', 'inspector', 'supervisor', 'unit_officer'] as const) {
      const who = await signedIn(
        t,
        role,
        role === 'supervisor' || role === 'unit_officer' ? (await f.person()).id : null,
      )
      const res = await t.app.inject({ method: 'GET', url: '/api/bulletins/2026-10?format=xlsx', headers: who.headers })
      expect(res.statusCode, role).toBe(200)
    }
  })

  // last: it closes October
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
})
