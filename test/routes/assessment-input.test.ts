// Bad input to the assessment routes: a 4xx naming the problem, and nothing written (figures, scheme,
// closed months and the audit log are counted before and after each request).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { assessmentWorld } from './assessment.helpers.js'

let t: TestApp
let admin: Awaited<ReturnType<typeof signedIn>>

const SCHEME = {
  redListSize: 2,
  blackListSize: 2,
  indicators: [
    { code: 'timeliness', kind: 'ledger_timeliness', name: '及时率', nameEn: 'Timeliness', weight: 50 },
    { code: 'pm25', kind: 'environment', name: 'PM2.5', nameEn: 'PM2.5', weight: 50, indicatorCode: 'pm25' },
  ],
}

beforeAll(async () => {
  t = await testApp({ env: { SESSION_TTL_HOURS: '8760' } })
  t.clock.now = new Date('2026-04-01T02:00:00Z')
  await assessmentWorld(t)
  admin = await signedIn(t, 'admin')
  const put = await t.app.inject({
    method: 'PUT',
    url: '/api/assessment/schemes/2026',
    headers: admin.headers,
    payload: SCHEME,
  })
  expect(put.statusCode, put.body).toBe(200)
})
afterAll(() => t?.close())

/** Everything the assessment writes, to compare before and after a refused request. */
async function written() {
  const db = t.database.db
  return {
    figures: await db.selectFrom('environment_figures').selectAll().orderBy('unit_id').orderBy('month').execute(),
    indicators: await db.selectFrom('assessment_indicators').selectAll().orderBy('code').execute(),
    schemes: await db.selectFrom('assessment_schemes').selectAll().execute(),
    months: await db.selectFrom('assessment_months').selectAll().execute(),
    audit: (
      await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  }
}

async function refused(
  request: { method: 'PUT' | 'POST' | 'GET'; url: string; payload?: unknown; headers?: Record<string, string> },
  status: number,
  mentions: string[],
) {
  const before = await written()
  const res = await t.app.inject({
    method: request.method,
    url: request.url,
    headers: { ...admin.headers, ...request.headers },
    payload: request.payload as string,
  })
  expect(res.statusCode, res.body).toBe(status)
  for (const m of mentions) expect(res.json().error.message).toContain(m)
  expect(await written()).toEqual(before)
  return res.json()
}

const figures = (rows: unknown[]) => ({ method: 'PUT' as const, url: '/api/environment-figures', payload: { rows } })
const csv = (text: string) => ({
  method: 'POST' as const,
  url: '/api/environment-figures/import',
  payload: text,
  headers: { 'content-type': 'text/csv' },
})

describe('PUT /api/environment-figures', () => {
  it('refuses an unknown unit, naming it, and writes none of the rows', async () => {
    await refused(
      figures([
        { unit: 'T1', month: '2026-03', indicator: 'pm25', value: 30 },
        { unit: 'NOPE', month: '2026-03', indicator: 'pm25', value: 30 },
      ]),
      400,
      ['rows[1]', 'unknown unit "NOPE"'],
    )
  })

  it("refuses a negative value where the indicator's minimum is 0", async () => {
    await refused(figures([{ unit: 'T1', month: '2026-03', indicator: 'pm25', value: -1 }]), 400, [
      'rows[0]',
      "below pm25's minimum 0",
    ])
  })

  it('refuses an unknown indicator and a month like 2026-13', async () => {
    await refused(figures([{ unit: 'T1', month: '2026-03', indicator: 'pm99', value: 1 }]), 400, [
      'unknown indicator "pm99"',
    ])
    await refused(figures([{ unit: 'T1', month: '2026-13', indicator: 'pm25', value: 1 }]), 400, ['month'])
  })

  it('refuses the same unit, month and indicator twice', async () => {
    const row = { unit: 'T1', month: '2026-03', indicator: 'pm25', value: 30 }
    await refused(figures([row, row]), 400, ['given twice'])
  })
})

describe('POST /api/environment-figures/import', () => {
  it('names every bad line by its number and writes nothing', async () => {
    const body = await refused(
      csv(
        [
          'unit,month,indicator,value,source',
          'T1,2026-03,pm25,31,station',
          'NOPE,2026-03,pm25,31,station',
          'T2,2026-13,pm25,31,station',
          'T3,2026-03,pm25,-4,station',
          'T2,2026-03,pm25,abc,station',
        ].join('\n'),
      ),
      400,
      ['line 3', 'unknown unit "NOPE"', 'line 4', '2026-13', 'line 5', 'minimum 0', 'line 6', 'not a number'],
    )
    expect(body.error.details.problems).toHaveLength(4)
  })

  it('takes only plain decimals within ±1e12 as values: hex, exponents and spaces are refused by line', async () => {
    const lines = ['0x10', '1e300', ' 5', '1e3', '', '+5', '.5', '5.', '1000000000001', '-1000000000000.5']
    const body = await refused(
      csv(
        [
          'unit,month,indicator,value',
          ...lines.map((v, i) => `T1,2025-${String(i + 1).padStart(2, '0')},pm25,${v}`),
        ].join('\n'),
      ),
      400,
      ['line 2', '"0x10"', 'line 3', '"1e300"', 'line 4', '" 5"', 'line 10', '1000000000001', 'line 11', 'outside'],
    )
    expect(body.error.details.problems).toHaveLength(lines.length)
  })

  it('refuses a wrong header and a row with too few fields', async () => {
    await refused(csv('unit,month,value\nT1,2026-03,3\n'), 400, ['line 1', 'header'])
    await refused(csv('unit,month,indicator,value\nT1,2026-03,pm25\n'), 400, ['line 2', 'expected 4 fields'])
  })

  it('imports a good file, all rows, with an audit row', async () => {
    const res = await t.app.inject({
      ...csv('\ufeffunit,month,indicator,value\nT1,2026-02,pm25,41.5\nT2,2026-02,pm25,38\n'),
      headers: { ...admin.headers, 'content-type': 'text/csv' },
    })
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ written: 2 })
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/environment-figures?month=2026-02',
      headers: admin.headers,
    })
    expect(list.json().map((f: any) => [f.unit, f.month, f.indicator, f.value])).toEqual([
      ['T1', '2026-02', 'pm25', 41.5],
      ['T2', '2026-02', 'pm25', 38],
    ])
    const audit = await t.database.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'environment_figures.import')
      .execute()
    expect(audit).toHaveLength(1)
  })
})

describe('PUT /api/assessment/schemes/:year', () => {
  it('refuses a negative weight, naming it, and keeps the scheme', async () => {
    const bad = { ...SCHEME, indicators: [{ ...SCHEME.indicators[0], weight: -5 }] }
    await refused({ method: 'PUT', url: '/api/assessment/schemes/2026', payload: bad }, 400, ['weight'])
  })

  it('refuses an environment part without its indicator, an unknown indicator and a code given twice', async () => {
    const url = '/api/assessment/schemes/2026'
    const [timeliness, pm25] = SCHEME.indicators
    await refused(
      { method: 'PUT', url, payload: { ...SCHEME, indicators: [{ ...pm25, indicatorCode: undefined }] } },
      400,
      ['needs indicatorCode'],
    )
    await refused(
      { method: 'PUT', url, payload: { ...SCHEME, indicators: [{ ...pm25, indicatorCode: 'pm99' }] } },
      400,
      ['unknown indicator "pm99"'],
    )
    await refused({ method: 'PUT', url, payload: { ...SCHEME, indicators: [timeliness, timeliness] } }, 400, [
      'given twice',
    ])
  })

  it('answers 404 for a year without a scheme', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/assessment/schemes/2031', headers: admin.headers })
    expect(res.statusCode).toBe(404)
  })
})

describe('GET /api/assessment/:month and POST …/close', () => {
  it('refuses a month like 2026-13', async () => {
    await refused({ method: 'GET', url: '/api/assessment/2026-13' }, 400, ['month'])
    await refused({ method: 'POST', url: '/api/assessment/2026-13/close' }, 400, ['month'])
  })

  it('refuses to close a month of a year without a scheme', async () => {
    // 2025's ledger deadline (January 2026) has passed; 2025 has no scheme
    await refused({ method: 'POST', url: '/api/assessment/2025-12/close' }, 409, ['no assessment scheme for 2025'])
  })
})
