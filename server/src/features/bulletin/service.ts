// The bulletin of a month as a document: its figures (data.ts), laid out (sections.ts), rendered as XLSX
// or PDF. The figures are read before anything is written, so a bad month or a database failure is
// still an ordinary error response; only the rendering streams. A closed month's figures are those
// written when it was closed (bulletin_snapshots): later submissions, flags or map edits leave it as it was.
import type { Writable } from 'node:stream'
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'
import { bulletinData, type BulletinData, type BulletinOptions } from './data.js'
import { writeBulletinPdf } from './pdf.js'
import { findSnapshot, insertSnapshot } from './repository.js'
import { bulletinLayout, type Lang } from './sections.js'
import { writeBulletinXlsx } from './xlsx.js'

/** The month's figures: frozen at closing for a closed month, else gathered now. */
export async function monthBulletin(db: Kysely<DB>, month: string, o: BulletinOptions): Promise<BulletinData> {
  const frozen = (await findSnapshot(db, `${month}-01`)) as BulletinData | null
  return frozen ?? bulletinData(db, month, o)
}

/** Writes the bulletin of a month being closed, inside the closing transaction (after its frozen scores). */
export async function writeBulletinSnapshot(tx: Transaction<DB>, month: string, o: BulletinOptions): Promise<void> {
  await insertSnapshot(tx, `${month}-01`, await bulletinData(tx, month, o), o.now)
}

export async function bulletinDocument(
  db: Kysely<DB>,
  month: string,
  format: 'xlsx' | 'pdf',
  lang: Lang,
  o: BulletinOptions,
): Promise<(out: Writable) => Promise<void>> {
  const layout = bulletinLayout(await monthBulletin(db, month, o), lang)
  return (out) => (format === 'xlsx' ? writeBulletinXlsx(layout, lang, out) : writeBulletinPdf(layout, lang, out))
}
