// Exports of the filtered flag list: CSV streamed row by row (the flags are read in chunks of ids, so
// neither the rows nor the text of a 100,000-flag export is ever held whole), or GeoJSON built in SQL.
import type { Readable } from 'node:stream'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { flagsCsv } from './csv.js'
import * as repo from './repository-read.js'
import { flagToApi, STATE_COLORS, toFilter, type FlagApi, type ListQuery } from './service-read.js'

export const EXPORT_LIMIT = 100_000
/** flags read per query while a CSV export streams */
export const EXPORT_CHUNK = 1_000

export interface FlagExport {
  contentType: string
  filename: string
  /** GeoJSON text, or the CSV as a stream */
  body: string | Readable
}

export async function exportFlags(
  db: Kysely<DB>,
  format: 'csv' | 'geojson',
  q: ListQuery,
  now: Date,
  timeZone: string,
): Promise<FlagExport> {
  const filter = toFilter({ ...q, limit: EXPORT_LIMIT, offset: 0 }, now, timeZone)
  if (format === 'geojson') {
    const { geojson } = await repo.flagFeatureCollection(db, filter, STATE_COLORS)
    return { contentType: 'application/geo+json; charset=utf-8', filename: 'flags.geojson', body: geojson }
  }
  // the ids fix which flags and in which order; each chunk then reads the rows the list would show
  const ids = await repo.flagIds(db, filter)
  async function* flags(): AsyncGenerator<FlagApi> {
    for (let i = 0; i < ids.length; i += EXPORT_CHUNK) {
      const chunk = ids.slice(i, i + EXPORT_CHUNK)
      const rows = new Map((await repo.flagRows(db, { ids: chunk, now, limit: chunk.length })).map((r) => [r.id, r]))
      for (const id of chunk) {
        const row = rows.get(id)
        if (row) yield flagToApi(row, null)
      }
    }
  }
  return { contentType: 'text/csv; charset=utf-8', filename: 'flags.csv', body: flagsCsv(flags()) }
}
