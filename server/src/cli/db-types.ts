// `npm run db:types`: migrates a fresh in-memory embedded database and writes server/src/db/schema.ts
// from its catalogue (see db/schema-codegen.ts). Run it after adding a migration and commit the result.
import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { openEmbedded, openPGlite } from '../db/database.js'
import { migrate } from '../db/migrate.js'
import { generateSchema } from '../db/schema-codegen.js'

export const SCHEMA_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../db/schema.ts')

const database = await openEmbedded(await openPGlite({}))
try {
  await migrate(database)
  const text = await generateSchema(database.db)
  const before = await readFile(SCHEMA_FILE, 'utf8').catch(() => null)
  if (before === text) console.log(`${path.relative(process.cwd(), SCHEMA_FILE)} is up to date`)
  else {
    await writeFile(SCHEMA_FILE, text)
    console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`)
  }
} finally {
  await database.close()
}
