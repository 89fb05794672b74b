// Importing the inventory from the files counties keep it in: CSV with lon/lat columns (Excel exports,
// often with Chinese headers) and GeoJSON. All or nothing: every row is checked first and every
// problem listed with its row; a dry run does the whole import, reports, and rolls it back.
import { parse } from 'csv-parse/sync'
import type { Kysely } from 'kysely'
import type { DB } from '../../db/schema.js'
import { rematchObjects } from '../../db/repositories/matching.repository.js'
import { insertAudit, type Actor } from '../../db/repositories/audit.repository.js'
import { badRequest, conflict } from '../../errors.js'
import type { ObjectImportReport } from '../../contract/objects.js'
import {
  assertValidGeometries,
  checkObjectGeometry,
  flatAttributes,
  RISK_LEVELS,
  type GeometryCheck,
} from './service.js'
import * as repo from './repository.js'

export const MAX_IMPORT_ROWS = 20000
const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/
const LISTED_ERRORS = 50

/** Header names (lower case) each field is read from; other columns become attributes. */
const ALIASES: Record<'code' | 'name' | 'type' | 'risk' | 'lon' | 'lat', string[]> = {
  code: ['code', 'id', '编码', '代码'],
  name: ['name', '名称'],
  type: ['type', 'type_code', '类型'],
  risk: ['risk_level', 'risk', '风险等级'],
  lon: ['lon', 'lng', 'longitude', 'x', '经度'],
  lat: ['lat', 'latitude', 'y', '纬度'],
}
const RISK_WORDS: Record<string, string> = { 高: 'high', 中: 'medium', 低: 'low' }

interface Row {
  where: string
  code: unknown
  name: unknown
  type: unknown
  risk: unknown
  geometry: unknown
  attributes: Record<string, unknown>
}

export interface ImportRequest {
  format: 'csv' | 'geojson'
  content: string
  defaultType?: string
  defaultRiskLevel?: string
  dryRun?: boolean
}

class RollBack extends Error {}

export async function importObjects(
  db: Kysely<DB>,
  actor: Actor,
  request: ImportRequest,
  clock: { now: Date; at: string; toleranceM2: number },
): Promise<ObjectImportReport> {
  const rows = request.format === 'csv' ? csvRows(request.content) : geojsonRows(request.content)
  if (rows.length === 0) throw badRequest('empty_import', 'the file holds no objects')
  if (rows.length > MAX_IMPORT_ROWS)
    throw badRequest('too_many_objects', `the file holds ${rows.length} objects; at most ${MAX_IMPORT_ROWS} per import`)
  const types = new Map((await repo.objectTypes(db)).map((t) => [t.code, t.geometry_kind]))
  if (request.defaultType !== undefined && !types.has(request.defaultType))
    throw badRequest(
      'unknown_object_type',
      `body parameter "defaultType": unknown object type "${request.defaultType}"`,
    )

  const errors: string[] = []
  const defaulted = { type: 0, risk: 0 }
  const seen = new Map<string, string>()
  const checked: (repo.NewObject & GeometryCheck & { where: string })[] = []
  for (const row of rows) {
    const problems: string[] = []
    const code = text(row.code)
    if (!code) problems.push('no code')
    else if (!CODE_PATTERN.test(code)) problems.push(`code "${code}" must be letters, digits, _ . - (at most 64)`)
    else if (seen.has(code)) problems.push(`code "${code}" repeats ${seen.get(code)}`)
    else seen.set(code, row.where)
    const name = text(row.name)
    if (!name) problems.push('no name')
    else if (name.length > 200) problems.push('name longer than 200 characters')
    let type = text(row.type)
    if (!type && request.defaultType) {
      type = request.defaultType
      defaulted.type++
    }
    if (!type) problems.push('no type (give a type column or defaultType)')
    else if (!types.has(type)) problems.push(`unknown type "${type}"`)
    let risk = text(row.risk)
    risk = risk && RISK_WORDS[risk] ? RISK_WORDS[risk] : risk?.toLowerCase()
    if (!risk && request.defaultRiskLevel) {
      risk = request.defaultRiskLevel
      defaulted.risk++
    }
    if (!risk) problems.push('no risk level (give a risk_level column or defaultRiskLevel)')
    else if (!RISK_LEVELS.includes(risk)) problems.push(`risk level "${risk}" is not high, medium or low`)
    const attributes = flatAttributes(row.attributes, problems)
    let geometry: GeometryCheck | undefined
    try {
      geometry = checkObjectGeometry(row.geometry, type ? (types.get(type) ?? 'any') : 'any', 'geometry')
    } catch (e) {
      problems.push((e as Error).message)
    }
    if (problems.length) errors.push(`${row.where}: ${problems.join('; ')}`)
    else
      checked.push({
        ...geometry!,
        where: row.where,
        regionId: 0,
        code: code!,
        name: name!,
        typeCode: type!,
        riskLevel: risk!,
        attributes,
        status: 'accepted',
        filedBy: actor.id,
        now: clock.now,
      })
  }
  if (errors.length === 0) {
    const taken = await repo.existingCodes(
      db,
      checked.map((c) => c.code),
    )
    for (const code of taken) errors.push(`${seen.get(code)}: object "${code}" already exists`)
  }
  if (errors.length === 0) await assertValidGeometries(db, checked)
  if (errors.length === 0) {
    const regions = await repo.regionsOfGeometries(
      db,
      checked.map((c) => c.geojson),
    )
    checked.forEach((c, i) => {
      if (regions[i] === null) errors.push(`${c.where}: the object lies outside every region`)
      else c.regionId = regions[i]!
    })
  }
  if (errors.length)
    throw badRequest(
      'invalid_rows',
      `${errors.length} of ${rows.length} objects cannot be imported, nothing was written: ${errors.slice(0, 3).join(' | ')}`,
      { errors: errors.slice(0, LISTED_ERRORS), total: errors.length },
    )

  const report: ObjectImportReport = {
    dryRun: request.dryRun === true,
    read: rows.length,
    imported: 0,
    defaulted: [
      ...(defaulted.type ? [`type "${request.defaultType}" for ${defaulted.type} objects`] : []),
      ...(defaulted.risk ? [`risk level "${request.defaultRiskLevel}" for ${defaulted.risk} objects`] : []),
    ],
    matches: {},
  }
  try {
    await db.transaction().execute(async (tx) => {
      const ids: number[] = []
      for (let i = 0; i < checked.length; i += 1000)
        ids.push(...(await repo.insertObjects(tx, checked.slice(i, i + 1000))))
      await rematchObjects(tx, { kind: 'objects', objectIds: ids }, clock.toleranceM2)
      report.imported = ids.length
      report.matches = await repo.matchCounts(tx, ids, clock.at)
      if (report.dryRun) throw new RollBack()
      await insertAudit(tx, {
        actor,
        action: 'import',
        entityType: 'object',
        entityId: null,
        after: { format: request.format, imported: ids.length, codes: checked.slice(0, 100).map((c) => c.code) },
      })
    })
  } catch (e) {
    // a code filed by someone else between the check above and the insert
    if (repo.isDuplicateCode(e))
      throw conflict('duplicate_object', 'an object of this file was filed by someone else meanwhile; import again')
    if (!(e instanceof RollBack)) throw e
  }
  return report
}

const text = (v: unknown): string | undefined => {
  if (v === null || v === undefined) return undefined
  const s = String(v).trim()
  return s === '' ? undefined : s
}

function csvRows(content: string): Row[] {
  let records: Record<string, string>[]
  try {
    records = parse(content, {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: false,
    })
  } catch (e) {
    throw badRequest('invalid_csv', `the file is not readable as CSV: ${(e as Error).message}`)
  }
  const header = records.length ? Object.keys(records[0]!) : []
  const column = (field: keyof typeof ALIASES) => header.find((h) => ALIASES[field].includes(h.toLowerCase()))
  const cols = {
    code: column('code'),
    name: column('name'),
    type: column('type'),
    risk: column('risk'),
    lon: column('lon'),
    lat: column('lat'),
  }
  const missing = (['lon', 'lat', 'code', 'name'] as const).filter((f) => cols[f] === undefined)
  if (records.length && missing.length)
    throw badRequest(
      'missing_columns',
      `the CSV has no column for ${missing.join(', ')} (found: ${header.join(', ')}); accepted names: ` +
        missing.map((f) => `${f} = ${ALIASES[f].join(' / ')}`).join('; '),
    )
  const used = new Set(Object.values(cols).filter((c): c is string => c !== undefined))
  return records.map((r, i) => {
    const lon = Number(r[cols.lon!])
    const lat = Number(r[cols.lat!])
    const where = `row ${i + 2}`
    const numeric = r[cols.lon!] !== '' && r[cols.lat!] !== '' && Number.isFinite(lon) && Number.isFinite(lat)
    return {
      where,
      code: r[cols.code!],
      name: r[cols.name!],
      type: cols.type ? r[cols.type] : undefined,
      risk: cols.risk ? r[cols.risk] : undefined,
      geometry: numeric
        ? { type: 'Point', coordinates: [lon, lat] }
        : { type: 'Point', coordinates: [r[cols.lon!], r[cols.lat!]] },
      attributes: Object.fromEntries(Object.entries(r).filter(([k]) => !used.has(k))),
    }
  })
}

function geojsonRows(content: string): Row[] {
  let doc: unknown
  try {
    doc = JSON.parse(content)
  } catch (e) {
    throw badRequest('invalid_json', `the file is not GeoJSON: ${(e as Error).message}`)
  }
  const d = doc as { type?: unknown; features?: unknown }
  const features = d?.type === 'FeatureCollection' ? d.features : d?.type === 'Feature' ? [d] : undefined
  if (!Array.isArray(features))
    throw badRequest('invalid_geojson', 'the file is not a GeoJSON FeatureCollection or Feature')
  return features.map((f, i) => {
    const props = ((f as { properties?: unknown })?.properties ?? {}) as Record<string, unknown>
    const safe = props && typeof props === 'object' && !Array.isArray(props) ? props : {}
    const { code, name, type, type_code, risk_level, risk, ...attributes } = safe
    return {
      where: `feature ${i}`,
      code,
      name,
      type: type ?? type_code,
      risk: risk_level ?? risk,
      geometry: (f as { geometry?: unknown })?.geometry ?? null,
      attributes,
    }
  })
}
