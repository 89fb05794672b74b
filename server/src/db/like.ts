// A user's text inside a LIKE/ILIKE pattern must match literally: "%" and "_" are wildcards and "\"
// the escape character, so all three are escaped, and every such comparison names its escape
// character explicitly (`LIKE … ESCAPE '\'`), whatever the server's defaults.
import { sql, type RawBuilder } from 'kysely'

export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (m) => `\\${m}`)
}

/** `column LIKE '%text%'` (or ILIKE), text taken literally. */
export function likeContains(column: string, text: string, op: 'LIKE' | 'ILIKE' = 'LIKE'): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} ${sql.raw(op)} ${`%${escapeLike(text)}%`} ESCAPE '\\'`
}

/** `column LIKE 'text%'` (or ILIKE), text taken literally. */
export function likePrefix(column: string, text: string, op: 'LIKE' | 'ILIKE' = 'LIKE'): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} ${sql.raw(op)} ${`${escapeLike(text)}%`} ESCAPE '\\'`
}
