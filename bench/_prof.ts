import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { importFeatures, DEFAULT_PROPERTIES } from '../server/src/services/import.service.js'
import { readFeatureFile } from '../server/src/services/feature-source.js'
import { SYSTEM_ACTOR } from '../server/src/db/repositories/audit.repository.js'
const agg = new Map<string, [number, number]>()
const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: process.env.DATABASE_URL }) }), log(e) { const k = e.query.sql.replace(/\s+/g, ' ').slice(0, 60); const a = agg.get(k) ?? [0, 0]; a[0]++; a[1] += e.queryDurationMillis; agg.set(k, a) } })
await sql`DELETE FROM parcel_matches`.execute(db)
await sql`DELETE FROM parcels`.execute(db)
agg.clear()
const t0 = performance.now()
const rep = await importFeatures(db, readFeatureFile(process.argv[2] ?? '/tmp/p20k.geojsonl'), { kind: 'parcels', invalid: 'reject', properties: DEFAULT_PROPERTIES, batchSize: Number(process.env.BATCH ?? 1000), matchToleranceM2: 10, actor: SYSTEM_ACTOR, region: '990000' })
console.log(rep.imported, rep.rematched, (performance.now() - t0).toFixed(0), 'ms')
for (const [k, [n, ms]] of [...agg].sort((a, b) => b[1][1] - a[1][1])) console.log(n, ms.toFixed(0), k)
await db.destroy()
