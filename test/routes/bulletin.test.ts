// GET /api/bulletins/{month}: the monthly bulletin as XLSX and PDF over a small county. The XLSX is read
// back with exceljs and compared cell by cell with the API's figures (assessment, coverage, continuity)
// and with what the test planted; the PDF's text is extracted with pdftotext and its first page rendered
// with pdftoppm (the PNG is kept under test-artifacts/bulletin/ for a look).
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { factories } from '../helpers/factories.js'
import { bulletinWorld, fetchOk, NOW, pdfText, values, workbook } from './bulletin.helpers.js'

let t: TestApp
let viewer: Awaited<ReturnType<typeof signedIn>>

beforeAll(async () => {
  t = await testApp()
  t.clock.now = NOW
  ;({ viewer } = await bulletinWorld(t))
})
afterAll(async () => t?.close())

const download = (url: string, headers = viewer.headers) => fetchOk(t, url, headers)
const api = async <T>(url: string): Promise<T> => (await fetchOk(t, url, viewer.headers)).json() as T
/** what a cell holds for a figure that may be absent */
const cell = (v: number | null) => (v === null ? undefined : v)

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
})
