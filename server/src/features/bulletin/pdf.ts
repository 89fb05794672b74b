// The bulletin as an A4 PDF, written by pdfkit straight into `out` page by page. Chinese text needs a CJK
// font: Noto Sans SC (regular and bold) from @expo-google-fonts/noto-sans-sc, resolved through the
// package (so it is found from the sources and from dist/ alike) and embedded as a subset of the glyphs
// used (pdfkit subsets TrueType fonts). Each section is a table that breaks across pages and repeats its
// header row on each new page; every page has its number at the foot, drawn as the page is started, so
// no page has to be held back until the end.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { Writable } from 'node:stream'
import PDFDocument from 'pdfkit'
import { formatCell, pageLabel, type BulletinLayout, type Column, type Lang, type Section } from './sections.js'

const require = createRequire(import.meta.url)
const FONT_FILES = {
  regular: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf',
}
// 10 MB each: read once per process, when the first PDF is made
let fonts: { regular: Buffer; bold: Buffer } | null = null
function loadFonts() {
  fonts ??= {
    regular: readFileSync(require.resolve(FONT_FILES.regular)),
    bold: readFileSync(require.resolve(FONT_FILES.bold)),
  }
  return fonts
}

const MARGIN = 50
const FOOTER = 30
const CELL_PAD = 4
const BODY_SIZE = 9
const HEADER_FILL = '#dce6f1'
const RULE = '#9aa5b1'

type Doc = PDFKit.PDFDocument

/** Writes the PDF into `out` and resolves when all of it has been written (the stream is then ended). */
export function writeBulletinPdf(layout: BulletinLayout, lang: Lang, out: Writable): Promise<void> {
  const { regular, bold } = loadFonts()
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER, left: MARGIN, right: MARGIN },
    info: { Title: layout.title, Creator: 'everyinch' },
    lang: lang === 'zh' ? 'zh-CN' : 'en',
    autoFirstPage: false,
  })
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve)
    out.on('error', reject)
    doc.on('error', reject)
  })
  doc.pipe(out)
  doc.registerFont('body', regular)
  doc.registerFont('bold', bold)

  let page = 0
  doc.on('pageAdded', () => {
    page += 1
    drawFooter(doc, pageLabel(lang, page))
  })
  doc.addPage()

  doc.font('bold').fontSize(16).fillColor('black').text(layout.title, { align: 'center' })
  doc.moveDown(0.5)
  doc.font('body').fontSize(BODY_SIZE + 1)
  for (const note of layout.notes) doc.text(note, { align: 'center' })
  doc.moveDown(1)

  for (const section of layout.sections) drawSection(doc, section)
  doc.end()
  return done
}

/** The page number, centred in the bottom margin (which is then given back to the page's text). */
function drawFooter(doc: Doc, label: string) {
  const { x, y } = doc
  const bottom = doc.page.margins.bottom
  doc.page.margins.bottom = 0
  doc
    .font('body')
    .fontSize(BODY_SIZE)
    .fillColor('#555555')
    .text(label, MARGIN, doc.page.height - MARGIN, {
      width: doc.page.width - 2 * MARGIN,
      align: 'center',
      lineBreak: false,
    })
  doc.page.margins.bottom = bottom
  doc.fillColor('black')
  doc.x = x
  doc.y = y
}

const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right
const pageBottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom

function columnWidths(doc: Doc, columns: Column[]): number[] {
  const total = columns.reduce((a, c) => a + c.width, 0)
  return columns.map((c) => (contentWidth(doc) * c.width) / total)
}

function drawSection(doc: Doc, section: Section) {
  const widths = columnWidths(doc, section.columns)
  const headers = section.columns.map((c) => c.header)
  const headerHeight = rowHeight(doc, headers, widths, 'bold')
  const firstRowHeight = section.rows[0] ? rowHeight(doc, cellsOf(section, 0), widths, 'body') : 0
  // a title never stands alone at the foot of a page: it goes with its header and first row
  if (doc.y + 24 + headerHeight + firstRowHeight > pageBottom(doc)) doc.addPage()
  doc.x = doc.page.margins.left
  doc.font('bold').fontSize(12).fillColor('black').text(section.title)
  doc.moveDown(0.3)
  const aligns = section.columns.map((c) => (c.kind === 'text' ? 'left' : 'right') as 'left' | 'right')
  drawRow(doc, headers, widths, 'bold', headerHeight, true)
  if (section.rows.length === 0) {
    doc
      .font('body')
      .fontSize(BODY_SIZE)
      .text(section.emptyNote, doc.page.margins.left + CELL_PAD, doc.y + CELL_PAD)
  }
  for (let i = 0; i < section.rows.length; i++) {
    const cells = cellsOf(section, i)
    const height = rowHeight(doc, cells, widths, 'body')
    if (doc.y + height > pageBottom(doc)) {
      doc.addPage()
      drawRow(doc, headers, widths, 'bold', headerHeight, true)
    }
    drawRow(doc, cells, widths, 'body', height, false, aligns)
  }
  doc.x = doc.page.margins.left
  doc.moveDown(1.2)
}

const cellsOf = (section: Section, i: number) =>
  section.rows[i]!.map((value, c) => formatCell(value, section.columns[c]!.kind))

function rowHeight(doc: Doc, cells: string[], widths: number[], font: 'body' | 'bold'): number {
  doc.font(font).fontSize(BODY_SIZE)
  const heights = cells.map((text, i) => doc.heightOfString(text, { width: widths[i]! - 2 * CELL_PAD }))
  return Math.max(...heights, doc.currentLineHeight()) + 2 * CELL_PAD
}

function drawRow(
  doc: Doc,
  cells: string[],
  widths: number[],
  font: 'body' | 'bold',
  height: number,
  header: boolean,
  aligns: ('left' | 'right')[] = [],
) {
  const top = doc.y
  let x = doc.page.margins.left
  const total = widths.reduce((a, w) => a + w, 0)
  if (header) doc.rect(x, top, total, height).fill(HEADER_FILL)
  doc.font(font).fontSize(BODY_SIZE).fillColor('black')
  cells.forEach((text, i) => {
    const w = widths[i]!
    doc.text(text, x + CELL_PAD, top + CELL_PAD, {
      width: w - 2 * CELL_PAD,
      align: header ? 'center' : (aligns[i] ?? 'left'),
    })
    doc.lineWidth(0.5).strokeColor(RULE).rect(x, top, w, height).stroke()
    x += w
  })
  doc.x = doc.page.margins.left
  doc.y = top + height
}
