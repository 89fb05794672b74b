// Photos stored with their flag (bytea). Listing never reads the bytes; serving reads one photo.
import type { Kysely, Transaction } from 'kysely'
import type { DB } from '../../db/schema.js'

type Executor = Kysely<DB> | Transaction<DB>

export interface NewPhoto {
  flagId: number
  eventId: number | null
  contentType: 'image/jpeg' | 'image/png' | 'image/webp'
  sizeBytes: number
  sha256: string
  filename: string | null
  data: Uint8Array
  uploadedBy: number | null
  at: Date
}

export async function insertPhotos(db: Executor, photos: NewPhoto[]): Promise<number[]> {
  if (photos.length === 0) return []
  const rows = await db
    .insertInto('flag_photos')
    .values(
      photos.map((p) => ({
        flag_id: p.flagId,
        event_id: p.eventId,
        content_type: p.contentType,
        size_bytes: p.sizeBytes,
        sha256: p.sha256,
        filename: p.filename,
        data: p.data,
        uploaded_by: p.uploadedBy,
        created_at: p.at,
      })),
    )
    .returning('id')
    .execute()
  return rows.map((r) => r.id)
}

export function photosOf(db: Executor, flagId: number) {
  return db
    .selectFrom('flag_photos')
    .select(['id', 'event_id', 'content_type', 'size_bytes', 'sha256', 'filename', 'created_at'])
    .where('flag_id', '=', flagId)
    .orderBy('id')
    .execute()
}

export function photoData(db: Executor, flagId: number, photoId: number) {
  return db
    .selectFrom('flag_photos')
    .select(['id', 'content_type', 'size_bytes', 'data', 'filename'])
    .where('flag_id', '=', flagId)
    .where('id', '=', photoId)
    .executeTakeFirst()
}
