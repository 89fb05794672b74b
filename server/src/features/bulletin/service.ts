// The bulletin of a month as a document: its figures (data.ts), laid out (sections.ts), rendered as XLSX
// or PDF. The figures are read before anything is written, so a bad month or a database failure is
// still an ordinary error response; only the rendering streams.
import type { Writable } from 'node:stream'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { bulletinData, type BulletinOptions } from './data.js'
import { writeBulletinPdf } from './pdf.js'
import { bulletinLayout, type Lang } from './sections.js'
import { writeBulletinXlsx } from './xlsx.js'

export async function bulletinDocument(
  db: Kysely<DB>,
  month: string,
  format: 'xlsx' | 'pdf',
  lang: Lang,
  o: BulletinOptions,
): Promise<(out: Writable) => Promise<void>> {
  const layout = bulletinLayout(await bulletinData(db, month, o), lang)
  return (out) => (format === 'xlsx' ? writeBulletinXlsx(layout, lang, out) : writeBulletinPdf(layout, lang, out))
}
