// The bulletin as an XLSX workbook, written by exceljs's streaming writer straight into `out` (each row is
// committed as it is written, so the workbook is never held whole): a first sheet with the title and
// notes, then one sheet per section with a styled, frozen header row; numbers are stored as numbers
// with a number format (scores 0.00, areas 0.0), so a reader can sort and sum them.
import type { Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { BulletinLayout, ColumnKind, Lang, Section } from './sections.js'

const NUMBER_FORMAT: Record<ColumnKind, string | undefined> = {
  text: undefined,
  int: '0',
  score: '0.00',
  area: '0.0',
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F1' } }
const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF9AA5B1' } }
const FONT = 'Microsoft YaHei'

/** Excel's sheet-name rules: at most 31 characters, none of []:*?/\ , unique in the workbook. */
export function sheetName(title: string, taken: Set<string>): string {
  const base =
    title
      .replace(/[[\]:*?/\\]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 31) || 'Sheet'
  let name = base
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base.slice(0, 28)} ${n}`
  taken.add(name.toLowerCase())
  return name
}

/** Writes the workbook into `out` and resolves when it is complete (the stream is then ended). */
export async function writeBulletinXlsx(layout: BulletinLayout, lang: Lang, out: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false })
  workbook.creator = 'everyinch'
  const taken = new Set<string>()

  const cover = workbook.addWorksheet(sheetName(lang === 'en' ? 'Bulletin' : '通报', taken))
  cover.columns = [{ width: 90 }]
  const title = cover.addRow([layout.title])
  title.font = { name: FONT, size: 14, bold: true }
  title.commit()
  for (const note of layout.notes) cover.addRow([note]).commit()
  cover.addRow([]).commit()
  for (const section of layout.sections) {
    cover.addRow([`${section.title}: ${section.rows.length}`]).commit()
  }
  cover.commit()

  for (const section of layout.sections) writeSection(workbook, section, taken)
  await workbook.commit()
}

function writeSection(workbook: ExcelJS.stream.xlsx.WorkbookWriter, section: Section, taken: Set<string>) {
  const sheet = workbook.addWorksheet(sheetName(section.title, taken), {
    views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
  })
  // widths in characters; a CJK character is about two Latin ones wide
  sheet.columns = section.columns.map((c) => ({
    width: Math.max(c.width, displayWidth(c.header) + 2),
    style: NUMBER_FORMAT[c.kind] ? { numFmt: NUMBER_FORMAT[c.kind] } : {},
  }))
  const header = sheet.addRow(section.columns.map((c) => c.header))
  header.eachCell((cell) => {
    cell.font = { name: FONT, bold: true }
    cell.fill = HEADER_FILL
    cell.border = { top: THIN, bottom: THIN, left: THIN, right: THIN }
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true }
  })
  header.commit()
  if (section.rows.length === 0) {
    sheet.addRow([section.emptyNote]).commit()
  }
  for (const values of section.rows) {
    const row = sheet.addRow(values)
    row.eachCell((cell, col) => {
      const kind = section.columns[col - 1]?.kind ?? 'text'
      cell.font = { name: FONT }
      if (kind !== 'text') cell.numFmt = NUMBER_FORMAT[kind]!
      cell.alignment = { vertical: 'top', wrapText: kind === 'text' }
    })
    row.commit()
  }
  sheet.commit()
}

/** Width in Latin characters: CJK and full-width characters count two. */
export function displayWidth(text: string): number {
  let w = 0
  for (const ch of text)
    w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(ch)
      ? 2
      : 1
  return w
}
