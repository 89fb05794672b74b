// Target responsibility letters: targets from the year's plan indicators, signatories, the signing
// date, the signed PDF scan (sniffed, size-limited, newest wins), and progress against the targets.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { refusedWritingNothing, unitsWorld, type UnitsWorld } from './units.helpers.js'

const MAX = 2048
const PDF = Buffer.from('%PDF-1.4\n% signed letter\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])

let w: UnitsWorld
let letterVersion = 0

beforeAll(async () => {
  w = await unitsWorld({ LETTER_SCAN_MAX_BYTES: String(MAX) })
  // the plan is drawn up on 1 January (a measure gets only the months still ahead), read in April
  w.t.clock.now = new Date('2026-01-01T00:00:00+08:00')
  await w.send('POST', '/api/units/sync')
  await w.send('POST', '/api/units', { code: 'sthj', name: '生态环境局' })
  await w.send('PUT', '/api/lines/air', { name: '大气', nameEn: 'Air', leadUnitCode: 'sthj' })
  await w.send('PUT', '/api/indicators/pm10', {
    name: 'PM10',
    nameEn: 'PM10',
    unitOfMeasure: 'µg/m³',
    direction: 'lower_is_better',
    minValue: 0,
  })
  await w.send('PUT', '/api/indicators/sites', {
    name: '工地',
    nameEn: 'Sites',
    direction: 'higher_is_better',
    minValue: 0,
  })
  await w.send('PUT', '/api/indicators/unused', { name: '未用', nameEn: 'Unused', direction: 'higher_is_better' })
  const plan = await w.send('POST', '/api/plans', { lineCode: 'air', year: 2026, title: '2026' })
  for (const [code, indicatorCode] of [
    ['A-01', 'pm10'],
    ['A-02', 'sites'],
  ])
    await w.send('POST', `/api/plans/${plan.body.id}/measures`, {
      code,
      title: code,
      leadUnitCode: 'sthj',
      indicatorCode,
      targetValue: 70,
      responsiblePersonId: w.people.head,
      unitCodes: ['R1001'],
    })
  w.t.clock.now = new Date('2026-04-15T02:00:00Z')
})
afterAll(() => w?.t.close())

const letterBody = () => ({
  signedOn: '2026-02-14',
  unitSignatoryPersonId: w.people.head,
  countySignatoryPersonId: w.people.other,
  targets: [
    { indicatorCode: 'pm10', targetValue: 70 },
    { indicatorCode: 'sites', targetValue: 100 },
  ],
})

describe('PUT /api/units/:code/letters/:year', () => {
  it('refuses bad input naming the problem, writing nothing', async () => {
    const url = '/api/units/R1001/letters/2026'
    await refusedWritingNothing(
      w,
      { method: 'PUT', url, payload: { ...letterBody(), targets: [{ indicatorCode: 'unused', targetValue: 1 }] } },
      400,
      'indicator_not_in_plan',
      /unused/,
    )
    await refusedWritingNothing(
      w,
      { method: 'PUT', url, payload: { ...letterBody(), signedOn: '2025-11-30' } },
      400,
      'signed_on_out_of_range',
      /2025-11-30/,
    )
    await refusedWritingNothing(
      w,
      { method: 'PUT', url, payload: { ...letterBody(), targets: [{ indicatorCode: 'pm10', targetValue: -3 }] } },
      400,
      'value_out_of_range',
      /targets\[0\]\.targetValue/,
    )
    await refusedWritingNothing(
      w,
      { method: 'PUT', url, payload: { ...letterBody(), countySignatoryPersonId: 555555 } },
      400,
      'unknown_person',
      /555555/,
    )
    await refusedWritingNothing(
      w,
      {
        method: 'PUT',
        url,
        payload: {
          ...letterBody(),
          targets: [
            { indicatorCode: 'pm10', targetValue: 1 },
            { indicatorCode: 'pm10', targetValue: 2 },
          ],
        },
      },
      400,
      'duplicate_target',
    )
    await refusedWritingNothing(
      w,
      { method: 'PUT', url: '/api/units/nope/letters/2026', payload: letterBody() },
      404,
      'not_found',
    )
  })

  it('writes the letter, then a new version only from the version last read', async () => {
    const empty = await w.send('GET', '/api/units/R1001/letters/2026', undefined, w.viewer)
    expect(empty.body).toMatchObject({ version: null, targets: [], scan: null })
    const res = await w.send('PUT', '/api/units/R1001/letters/2026', letterBody())
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      unit: { code: 'R1001' },
      year: 2026,
      version: 1,
      signedOn: '2026-02-14',
      unitSignatory: { id: w.people.head, name: 'Head' },
      countySignatory: { id: w.people.other, name: 'Other' },
      scan: null,
    })
    expect(res.body.targets.map((t: any) => [t.indicator.code, t.targetValue])).toEqual([
      ['pm10', 70],
      ['sites', 100],
    ])
    await refusedWritingNothing(
      w,
      { method: 'PUT', url: '/api/units/R1001/letters/2026', payload: { ...letterBody(), version: 7 } },
      409,
      'version_conflict',
      /version 1/,
    )
    const changed = await w.send('PUT', '/api/units/R1001/letters/2026', {
      version: 1,
      targets: letterBody().targets.slice(0, 1),
    })
    expect(changed.body).toMatchObject({ version: 2, signedOn: '2026-02-14' })
    expect(changed.body.targets).toHaveLength(1)
    letterVersion = changed.body.version
    const audit = await sql<{ action: string }>`SELECT action FROM audit_log WHERE entity_type = 'responsibility_letter'
      ORDER BY id`.execute(w.t.database.db)
    expect(audit.rows.map((r) => r.action)).toEqual(['letter.create', 'letter.update'])
    const list = await w.send('GET', '/api/letters?year=2026', undefined, w.viewer)
    expect(list.body.map((l: any) => l.unit.code)).toEqual(['R1001'])
  })
})

describe('PUT and GET /api/units/:code/letters/:year/scan', () => {
  const url = '/api/units/R1001/letters/2026/scan'
  it('refuses what is not a PDF, too large, or has no letter, writing nothing', async () => {
    await refusedWritingNothing(
      w,
      { method: 'PUT', url, payload: PNG, headers: { 'content-type': 'application/pdf' } },
      415,
      'unsupported_scan_type',
      /%PDF-/,
    )
    const big = Buffer.concat([PDF, Buffer.alloc(MAX + 1 - PDF.length, 0x20)])
    await refusedWritingNothing(
      w,
      { method: 'PUT', url, payload: big, headers: { 'content-type': 'application/pdf' } },
      413,
      'scan_too_large',
      new RegExp(String(MAX)),
    )
    await refusedWritingNothing(
      w,
      {
        method: 'PUT',
        url: '/api/units/R1002/letters/2026/scan',
        payload: PDF,
        headers: { 'content-type': 'application/pdf' },
      },
      404,
      'not_found',
      /letter/,
    )
    await refusedWritingNothing(w, { method: 'PUT', url, payload: { data: 'x' } }, 415, 'unsupported_scan_type')
    const form = multipart('scan', 'photo.png', 'image/png', PNG)
    await refusedWritingNothing(
      w,
      { method: 'PUT', url, payload: form.body, headers: form.headers },
      415,
      'unsupported_scan_type',
    )
  })

  it('stores a PDF body and a form upload; the newest is served back byte for byte', async () => {
    const raw = await w.send('PUT', url, PDF, { ...w.admin, 'content-type': 'application/pdf' })
    expect(raw.status).toBe(200)
    expect(raw.body.scan).toMatchObject({ sizeBytes: PDF.length, filename: null })
    expect(raw.body.version).toBe(letterVersion + 1)
    const second = Buffer.concat([PDF, Buffer.from('% second\n')])
    const form = multipart('scan', 'signed.pdf', 'application/octet-stream', second)
    const viaForm = await w.send('PUT', url, form.body, { ...w.admin, ...form.headers })
    expect(viaForm.status, JSON.stringify(viaForm.body)).toBe(200)
    expect(viaForm.body.scan).toMatchObject({ sizeBytes: second.length, filename: 'signed.pdf' })
    const got = await w.send('GET', url, undefined, w.viewer)
    expect(got.status).toBe(200)
    expect(got.headers['content-type']).toBe('application/pdf')
    expect(Buffer.compare(got.raw, second)).toBe(0)
    const scans = await sql<{ n: string }>`SELECT count(*)::text AS n FROM letter_scans`.execute(w.t.database.db)
    expect(Number(scans.rows[0]!.n)).toBe(2)
  })
})

describe('GET /api/units/:code/progress', () => {
  it('environment figures month by month; ledger values cumulative over accepted entries only', async () => {
    const db = w.t.owner().db
    await w.send('PUT', '/api/units/R1001/letters/2026', {
      version: (await letterNow()).version,
      targets: letterBody().targets,
    })
    const unitId = (await sql<{ id: number }>`SELECT id FROM units WHERE code = 'R1001'`.execute(db)).rows[0]!.id
    await sql`INSERT INTO environment_figures (unit_id, month, indicator_code, value, entered_at) VALUES
      (${unitId}, '2026-01-01', 'pm10', 80, now()), (${unitId}, '2026-02-01', 'pm10', 65, now())`.execute(db)
    // sites: January 30 accepted, February 20 submitted (not counted), March 45 accepted
    for (const [month, value, state] of [
      ['2026-01-01', 30, 'accepted'],
      ['2026-02-01', 20, 'submitted'],
      ['2026-03-01', 45, 'accepted'],
    ] as const)
      await sql`UPDATE ledger_entries SET done_value = ${value}, state = ${state}
        WHERE unit_id = ${unitId} AND month = ${month}
          AND measure_id = (SELECT id FROM measures WHERE code = 'A-02')`.execute(db)
    const res = await w.send('GET', '/api/units/R1001/progress?year=2026', undefined, w.viewer)
    expect(res.status).toBe(200)
    const [pm10, sites] = res.body.rows
    expect(pm10.source).toBe('environment')
    expect(pm10.months.slice(0, 3).map((m: any) => [m.month, m.value, m.met])).toEqual([
      ['2026-01', 80, false],
      ['2026-02', 65, true],
      ['2026-03', null, null],
    ])
    expect(sites.source).toBe('ledger')
    // the clock says April 2026: months from May on have no value yet
    expect(sites.months.map((m: any) => m.value)).toEqual([
      30,
      30,
      75,
      75,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ])
    expect(sites.months.map((m: any) => m.met).slice(0, 4)).toEqual([false, false, false, false])
    expect(sites.target).toBe(100)
  })
})

async function letterNow() {
  return (await w.send('GET', '/api/units/R1001/letters/2026', undefined, w.viewer)).body
}

function multipart(field: string, filename: string, type: string, data: Buffer) {
  const boundary = '----everyinch-test-boundary'
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
    ),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}
