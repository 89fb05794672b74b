// Target responsibility letters (目标责任书): per unit and year, the targets (indicators of that year's
// plans, with values), the signatories (the unit head and a county leader), the signing date (within
// the year or the December before) and the signed scan (a PDF, judged by its bytes, newest wins).
import { createHash } from 'node:crypto'
import type { Kysely, Transaction } from 'kysely'
import type { Letter, PutLetterBody } from '../../contract/units.js'
import type { DB } from '../../db/schema.js'
import { insertAudit, type Actor } from '../../db/repositories/audit.repository.js'
import { AppError, badRequest, conflict, notFound } from '../../errors.js'
import { findIndicator, listIndicators, listUnits, type UnitRow } from './repository.js'
import {
  findLetter,
  insertLetter,
  insertScan,
  latestScanData,
  latestScansOf,
  lettersOfYear,
  planIndicatorsOfYear,
  replaceTargets,
  targetsOf,
  updateLetter,
  type LetterRow,
} from './repository-letters.js'
import { assertWithinBounds, indicatorToApi } from './service-catalog.js'
import { assertPeopleExist, unitByCode, unitRef } from './service.js'

type Executor = Kysely<DB> | Transaction<DB>

async function lettersToApi(db: Executor, rows: LetterRow[], units: UnitRow[]): Promise<Letter[]> {
  const ids = rows.map((r) => r.id)
  const [targets, scans, indicators] = await Promise.all([
    targetsOf(db, ids),
    latestScansOf(db, ids),
    listIndicators(db),
  ])
  return rows.map((l) => {
    const scan = scans.find((s) => s.letter_id === l.id)
    return {
      unit: unitRef(units.find((u) => u.id === l.unit_id)!),
      year: l.year,
      version: l.version,
      signedOn: l.signed_on,
      unitSignatory:
        l.unit_signatory_person_id === null
          ? null
          : { id: l.unit_signatory_person_id, name: l.unit_signatory_name ?? '' },
      countySignatory:
        l.county_signatory_person_id === null
          ? null
          : { id: l.county_signatory_person_id, name: l.county_signatory_name ?? '' },
      targets: targets
        .filter((t) => t.letter_id === l.id)
        .map((t) => ({
          indicator: indicatorToApi(indicators.find((i) => i.code === t.indicator_code)!),
          targetValue: t.target_value,
        })),
      scan: scan
        ? {
            id: scan.id,
            sizeBytes: scan.size_bytes,
            sha256: scan.sha256,
            filename: scan.filename,
            uploadedAt: new Date(scan.created_at).toISOString(),
          }
        : null,
    }
  })
}

/** Every letter of a year, in the units' order. */
export async function letters(db: Executor, year: number): Promise<Letter[]> {
  const units = await listUnits(db)
  const rows = await lettersOfYear(db, year)
  rows.sort((a, b) => units.findIndex((u) => u.id === a.unit_id) - units.findIndex((u) => u.id === b.unit_id))
  return lettersToApi(db, rows, units)
}

/** A unit's letter of a year; one not written yet is empty (version null). */
export async function letterOf(db: Executor, code: string, year: number): Promise<Letter> {
  const unit = await unitByCode(db, code)
  const row = await findLetter(db, unit.id, year)
  if (!row)
    return {
      unit: unitRef(unit),
      year,
      version: null,
      signedOn: null,
      unitSignatory: null,
      countySignatory: null,
      targets: [],
      scan: null,
    }
  return (await lettersToApi(db, [row], [unit]))[0]!
}

/** The signing date lies in the letter's year or the December before (400 otherwise). */
function assertSignedOn(signedOn: string | null | undefined, year: number) {
  if (!signedOn) return
  if (signedOn < `${year - 1}-12-01` || signedOn > `${year}-12-31`)
    throw badRequest(
      'signed_on_out_of_range',
      `signedOn ${signedOn} must lie in ${year} or in December ${year - 1} (the letter is for ${year})`,
      { year },
    )
}

export async function putLetter(
  db: Kysely<DB>,
  actor: Actor,
  code: string,
  year: number,
  body: PutLetterBody,
  now: Date,
): Promise<Letter> {
  assertSignedOn(body.signedOn, year)
  const codes = body.targets.map((t) => t.indicatorCode)
  const repeated = codes.find((c, i) => codes.indexOf(c) !== i)
  if (repeated) throw badRequest('duplicate_target', `targets: indicator ${repeated} is given more than once`)
  return db.transaction().execute(async (trx) => {
    const unit = await unitByCode(trx, code)
    await assertPeopleExist(trx, [body.unitSignatoryPersonId], 'unitSignatoryPersonId')
    await assertPeopleExist(trx, [body.countySignatoryPersonId], 'countySignatoryPersonId')
    const planned = await planIndicatorsOfYear(trx, year)
    for (const [i, target] of body.targets.entries()) {
      const indicator = await findIndicator(trx, target.indicatorCode)
      if (!indicator)
        throw badRequest('unknown_indicator', `targets[${i}]: no indicator with code ${target.indicatorCode}`)
      if (!planned.has(target.indicatorCode))
        throw badRequest(
          'indicator_not_in_plan',
          `targets[${i}]: indicator ${target.indicatorCode} is not an indicator of any ${year} plan's measures`,
          { planned: [...planned].sort() },
        )
      assertWithinBounds(indicator, target.targetValue, `targets[${i}].targetValue`)
    }
    const existing = await findLetter(trx, unit.id, year)
    const before = existing ? (await lettersToApi(trx, [existing], [unit]))[0] : undefined
    let letterId: number
    if (!existing) {
      if (body.version !== undefined)
        throw conflict('version_conflict', `the ${year} letter of ${code} does not exist yet; send no version`)
      letterId = (
        await insertLetter(trx, {
          unit_id: unit.id,
          year,
          signed_on: body.signedOn ?? null,
          unit_signatory_person_id: body.unitSignatoryPersonId ?? null,
          county_signatory_person_id: body.countySignatoryPersonId ?? null,
          at: now,
        })
      ).id
    } else {
      if (body.version === undefined || body.version !== existing.version)
        throw conflict(
          'version_conflict',
          `the ${year} letter of ${code} is at version ${existing.version}; send the version you last read`,
          { version: existing.version },
        )
      letterId = existing.id
      await updateLetter(
        trx,
        existing.id,
        existing.version,
        {
          ...(body.signedOn !== undefined ? { signed_on: body.signedOn } : {}),
          ...(body.unitSignatoryPersonId !== undefined ? { unit_signatory_person_id: body.unitSignatoryPersonId } : {}),
          ...(body.countySignatoryPersonId !== undefined
            ? { county_signatory_person_id: body.countySignatoryPersonId }
            : {}),
        },
        now,
      )
    }
    await replaceTargets(
      trx,
      letterId,
      body.targets.map((t) => ({ indicator_code: t.indicatorCode, target_value: t.targetValue })),
    )
    const after = await letterOf(trx, code, year)
    await insertAudit(trx, {
      actor,
      action: existing ? 'letter.update' : 'letter.create',
      entityType: 'responsibility_letter',
      entityId: letterId,
      before,
      after,
    })
    return after
  })
}

/** An upload checked before anything is stored: a PDF by its first bytes, within the size limit. */
export function checkScan(data: Buffer, maxBytes: number) {
  if (data.length === 0) throw badRequest('empty_scan', 'the scan is empty; send the signed letter as a PDF')
  if (data.length > maxBytes)
    throw new AppError(413, 'scan_too_large', `the scan is ${data.length} bytes; at most ${maxBytes} are allowed`, {
      maxBytes,
    })
  if (data.subarray(0, 5).toString('latin1') !== '%PDF-')
    throw new AppError(415, 'unsupported_scan_type', 'the scan must be a PDF (its bytes do not start with %PDF-)')
}

export async function putScan(
  db: Kysely<DB>,
  actor: Actor,
  code: string,
  year: number,
  upload: { data: Buffer; filename: string | null },
  maxBytes: number,
  now: Date,
): Promise<Letter> {
  checkScan(upload.data, maxBytes)
  return db.transaction().execute(async (trx) => {
    const unit = await unitByCode(trx, code)
    const letter = await findLetter(trx, unit.id, year)
    if (!letter) throw notFound('letter', `${code}/${year}`)
    const sha256 = createHash('sha256').update(upload.data).digest('hex')
    const { id } = await insertScan(
      trx,
      { letter_id: letter.id, size_bytes: upload.data.length, sha256, filename: upload.filename, data: upload.data },
      actor.id,
      now,
    )
    await updateLetter(trx, letter.id, letter.version, {}, now)
    await insertAudit(trx, {
      actor,
      action: 'letter.scan',
      entityType: 'responsibility_letter',
      entityId: letter.id,
      after: { scanId: id, sizeBytes: upload.data.length, sha256, filename: upload.filename },
    })
    return letterOf(trx, code, year)
  })
}

/** The newest signed scan of a letter (404 when the letter or its scan does not exist). */
export async function scanOf(db: Executor, code: string, year: number) {
  const unit = await unitByCode(db, code)
  const letter = await findLetter(db, unit.id, year)
  if (!letter) throw notFound('letter', `${code}/${year}`)
  const scan = await latestScanData(db, letter.id)
  if (!scan) throw notFound('letter scan', `${code}/${year}`)
  return { data: scan.data, filename: scan.filename ?? `letter-${code}-${year}.pdf` }
}
