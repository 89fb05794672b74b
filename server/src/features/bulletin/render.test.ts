// The renderers over a hand-made BulletinData: the XLSX read back with exceljs, the PDF's text extracted
// with pdftotext and its first page rendered with pdftoppm (poppler-utils), with no database involved.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import type { BulletinData, BulletinUnit } from './data.js'
import { writeBulletinPdf } from './pdf.js'
import { bulletinLayout, FLAG_LIST_MAX } from './sections.js'
import { writeBulletinXlsx } from './xlsx.js'

const township = (code: string, name: string, nameEn: string): BulletinUnit => ({
  code,
  name,
  nameEn,
  kind: 'township',
})
const department = (code: string, name: string, nameEn: string): BulletinUnit => ({
  code,
  name,
  nameEn,
  kind: 'department',
})
const XULIANG = township('410822101', '许良镇', 'Xuliang')
const QINGTIAN = township('410822102', '清化镇街道', 'Qinghua')
const ZHAIZHUANG = township('410822103', '寨豁乡', 'Zhaihuo')
const STHJ = department('sthj', '生态环境局', 'Ecology and Environment Bureau')
const ZJJ = department('zjj', '住建局', 'Housing and Construction Bureau')

// 60 departments make the ranking longer than a page, so the table must break and repeat its header
const MANY = Array.from({ length: 60 }, (_, i) => department(`d${i}`, `测试部门${i + 1}号`, `Department ${i + 1}`))

const handMade: BulletinData = {
  month: '2026-10',
  countyName: '博爱县',
  countyNameEn: 'Boai County',
  generatedAt: '2026-11-10T02:30:00.000Z',
  timeZone: 'Asia/Shanghai',
  assessed: true,
  closed: true,
  ranking: {
    township: [
      { unit: XULIANG, rank: 1, score: 92.5, previousRank: 2, previousScore: 88.25, change: 4.25 },
      { unit: QINGTIAN, rank: 2, score: 87.13, previousRank: 1, previousScore: 90, change: -2.87 },
      { unit: ZHAIZHUANG, rank: null, score: null, previousRank: null, previousScore: null, change: null },
    ],
    department: [
      { unit: STHJ, rank: 1, score: 95, previousRank: null, previousScore: null, change: null },
      { unit: ZJJ, rank: 2, score: 61.4, previousRank: 2, previousScore: 70.4, change: -9 },
      ...MANY.map((unit, i) => ({
        unit,
        rank: i + 3,
        score: 60 - i / 2,
        previousRank: null,
        previousScore: null,
        change: null,
      })),
    ],
  },
  redList: [
    { group: 'township', rank: 1, unit: XULIANG, score: 92.5 },
    { group: 'department', rank: 1, unit: STHJ, score: 95 },
  ],
  blackList: [{ group: 'township', rank: 2, unit: QINGTIAN, score: 87.13 }],
  overdueLedgers: [
    {
      unit: QINGTIAN,
      items: [
        {
          measureCode: 'air-01',
          measureTitle: '建筑工地扬尘治理',
          measureTitleEn: 'Dust control on building sites',
          dueAt: '2026-11-06T10:00:00.000Z',
          state: 'draft',
        },
        {
          measureCode: 'water-02',
          measureTitle: '黑臭水体整治',
          measureTitleEn: null,
          dueAt: '2026-11-06T10:00:00.000Z',
          state: 'returned',
        },
      ],
    },
  ],
  overdueFlags: [
    {
      township: XULIANG,
      flags: Array.from({ length: FLAG_LIST_MAX + 3 }, (_, i) => ({
        id: 100 + i,
        category: '秸秆焚烧',
        categoryEn: 'Straw burning',
        dueAt: '2026-10-20T10:00:00.000Z',
        state: 'dispatched',
      })),
    },
  ],
  townships: [
    { unit: XULIANG, gapCount: 2, gapAreaM2: 1534.5, vacantDays: 31, understaffedDays: 0 },
    { unit: QINGTIAN, gapCount: 0, gapAreaM2: 0, vacantDays: 0, understaffedDays: 12 },
  ],
}

async function render(kind: 'xlsx' | 'pdf', data: BulletinData, lang: 'zh' | 'en'): Promise<Buffer> {
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  const layout = bulletinLayout(data, lang)
  await (kind === 'xlsx' ? writeBulletinXlsx(layout, lang, out) : writeBulletinPdf(layout, lang, out))
  return Buffer.concat(chunks)
}

const tmp = () => mkdtempSync(path.join(tmpdir(), 'bulletin-'))

function pdfText(pdf: Buffer): string {
  const file = path.join(tmp(), 'b.pdf')
  writeFileSync(file, pdf)
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
}

function pdfPages(pdf: Buffer): number {
  const file = path.join(tmp(), 'b.pdf')
  writeFileSync(file, pdf)
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  return Number(/^Pages:\s+(\d+)/m.exec(info)![1])
}

describe('bulletin renderers (hand-made data)', () => {
  it('XLSX: a sheet per section, header styled and frozen, numbers stored as numbers', async () => {
    const book = new ExcelJS.Workbook()
    await book.xlsx.load((await render('xlsx', handMade, 'zh')) as any)
    expect(book.worksheets.map((s) => s.name)).toEqual([
      '通报',
      '乡镇排名',
      '县直部门排名',
      '红黑榜',
      '逾期台账（按单位）',
      '逾期台账明细',
      '逾期问题（按乡镇）',
      '网格缺口与空岗天数（按乡镇）',
    ])
    const cover = book.getWorksheet('通报')!
    expect(cover.getCell('A1').value).toBe('博爱县 2026年10月 环境网格化监管考核通报')
    expect(cover.getCell('A2').value).toBe('生成时间：2026-11-10 10:30')

    const towns = book.getWorksheet('乡镇排名')!
    expect(towns.getRow(1).values).toEqual([undefined, '排名', '单位', '得分', '较上月变化', '上月排名', '上月得分'])
    expect(towns.getCell('A1').font?.bold).toBe(true)
    expect(towns.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
    expect(towns.getRow(2).values).toEqual([undefined, 1, '许良镇', 92.5, 4.25, 2, 88.25])
    expect(towns.getCell('C2').numFmt).toBe('0.00')
    expect(towns.getRow(3).values).toEqual([undefined, 2, '清化镇街道', 87.13, -2.87, 1, 90])
    // an unranked unit: its figures are empty cells, not zeros
    expect(towns.getRow(4).values).toEqual([undefined, undefined, '寨豁乡'])
    expect(towns.getColumn(2).width).toBeGreaterThanOrEqual(10)
    expect(book.getWorksheet('县直部门排名')!.rowCount).toBe(1 + 62)

    expect(book.getWorksheet('红黑榜')!.getRow(4).values).toEqual([undefined, '黑榜', '乡镇', 2, '清化镇街道', 87.13])
    expect(book.getWorksheet('逾期台账（按单位）')!.getRow(2).values).toEqual([undefined, '清化镇街道', '乡镇', 2])
    expect(book.getWorksheet('逾期台账明细')!.getRow(3).values).toEqual([
      undefined,
      '清化镇街道',
      'water-02',
      '黑臭水体整治',
      '2026-11-06 18:00',
      '退回未重报',
    ])
    const flags = book.getWorksheet('逾期问题（按乡镇）')!.getRow(2).values as unknown[]
    expect(flags.slice(1, 3)).toEqual(['许良镇', FLAG_LIST_MAX + 3])
    expect(flags[3]).toMatch(/^#100 秸秆焚烧 \(2026-10-20 18:00\);.*等另 3 个$/)
    expect(book.getWorksheet('网格缺口与空岗天数（按乡镇）')!.getRow(2).values).toEqual([
      undefined,
      '许良镇',
      2,
      1534.5,
      31,
      0,
    ])
  })

  it('XLSX in English: labels and names in English; an empty section says so', async () => {
    const book = new ExcelJS.Workbook()
    const empty = { ...handMade, overdueLedgers: [] }
    await book.xlsx.load((await render('xlsx', empty, 'en')) as any)
    expect(book.worksheets[1]!.name).toBe('Ranking townships')
    expect(book.worksheets[0]!.getCell('A1').value).toBe(
      'Boai County grid supervision assessment bulletin, October 2026',
    )
    expect(book.worksheets[1]!.getRow(2).values).toEqual([undefined, 1, 'Xuliang', 92.5, 4.25, 2, 88.25])
    expect(book.getWorksheet('Overdue ledger entries by unit')!.getCell('A2').value).toBe('None')
  })

  it('PDF: Chinese text extractable, tables break across pages with the header repeated, page numbers', async () => {
    const pdf = await render('pdf', handMade, 'zh')
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    // the font is embedded as a subset: far smaller than the 10 MB font file
    expect(pdf.length).toBeLessThan(400_000)
    const text = pdfText(pdf)
    expect(text).toContain('博爱县 2026年10月 环境网格化监管考核通报')
    for (const s of [
      '许良镇',
      '清化镇街道',
      '生态环境局',
      '92.50',
      '87.13',
      '-2.87',
      '1534.5',
      '建筑工地扬尘治理',
      '红榜',
    ])
      expect(text).toContain(s)
    const pages = pdfPages(pdf)
    expect(pages).toBeGreaterThanOrEqual(2)
    // each page is numbered; the department table's header appears again on the page it continues on
    const pageTexts = text.split('\f').filter((p) => p.trim() !== '')
    pageTexts.forEach((p, i) => expect(p).toMatch(new RegExp(`第\\s*${i + 1}\\s*页`)))
    const headerPages = pageTexts.filter((p) => /排名\s+单位\s+得分/.test(p)).length
    expect(headerPages).toBeGreaterThanOrEqual(2)
    expect(text).toContain('测试部门60号')
  })

  it('PDF page 1 renders with Chinese glyphs (saved to test-artifacts/bulletin/)', async () => {
    const pdf = await render('pdf', handMade, 'zh')
    const dir = path.resolve('test-artifacts/bulletin')
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'hand-made.pdf'), pdf)
    execFileSync(
      'pdftoppm',
      ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', 'hand-made.pdf', 'hand-made-page1'],
      {
        cwd: dir,
      },
    )
    const png = readFileSync(path.join(dir, 'hand-made-page1.png'))
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    expect(png.length).toBeGreaterThan(20_000)
  })
})
