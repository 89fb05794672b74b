// Bad campaigns and bad findings: each refused with a 4xx naming the problem, and nothing written (no
// campaign, checklist item, finding, flag, event, photo or audit row).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'
import { CAMPAIGN, inspectionWorld, PNG, rowCounts, type InspectionWorld } from './inspections.helpers.js'

let t: TestApp
let iw: InspectionWorld

beforeAll(async () => {
  t = await testApp()
  t.clock.now = new Date('2026-03-02T02:00:00Z')
  iw = await inspectionWorld(t)
})
afterAll(() => t?.close())

async function refused(
  url: string,
  payload: unknown,
  status: number,
  code: string,
  headers: Record<string, string> = iw.inspector,
) {
  const before = await rowCounts(t)
  const res = await t.app.inject({ method: 'POST', url, headers, payload: payload as object })
  expect(res.statusCode, res.body).toBe(status)
  expect(res.json().error.code).toBe(code)
  expect(await rowCounts(t)).toEqual(before)
  return res.json().error.message as string
}

describe('a bad campaign', () => {
  const campaign = (patch: Record<string, unknown>) => ({ ...CAMPAIGN, code: 'NEW', ...patch })
  it.each([
    ['ends before it starts', { endsOn: '2026-02-01' }, 400, 'invalid_period', '"endsOn" (2026-02-01) is before'],
    ['an unknown flag category', { category: 'noise' }, 400, 'unknown_category', '"noise" is not a flag category'],
    [
      'a checklist code twice',
      {
        checklist: [
          { code: 'A1', label: 'a' },
          { code: 'A1', label: 'b' },
        ],
      },
      400,
      'duplicate_checklist_item',
      'given twice: A1',
    ],
    ['an unknown unit', { units: ['T1', 'T9'] }, 400, 'unknown_unit', 'T9'],
    ['an unknown cell', { cells: ['T1A', 'NOPE'] }, 400, 'unknown_cell', 'NOPE'],
    ['a code already used', { code: 'AIR-2603' }, 409, 'code_taken', '"AIR-2603" exists already'],
    ['an empty checklist', { checklist: [] }, 400, 'invalid_request', 'checklist'],
    [
      'a limit of zero',
      { limits: { ...CAMPAIGN.limits, major: { amount: 0, unit: 'working_days' } } },
      400,
      'invalid_request',
      '"limits.major.amount" must be >= 1',
    ],
    [
      // thousands of working days reach beyond what a deadline can be counted to
      'a limit of years',
      { limits: { ...CAMPAIGN.limits, general: { amount: 5000, unit: 'working_days' } } },
      400,
      'invalid_request',
      '"limits.general.amount" must be <= 500',
    ],
  ])('%s', async (_name, patch, status, code, words) => {
    expect(await refused('/api/inspections', campaign(patch), status, code)).toContain(words)
  })

  it('from a supervisor', async () => {
    await refused('/api/inspections', campaign({}), 403, 'forbidden', iw.handlerT2)
  })
})

describe('a bad finding', () => {
  const finding = (patch: Record<string, unknown>) => ({
    checklistItem: 'A1',
    severity: 'general',
    description: '围挡破损',
    lon: 113.15,
    lat: 35.05,
    observedAt: '2026-03-02T01:00:00Z',
    ...patch,
  })
  const url = () => `/api/inspections/${iw.campaignId}/findings`
  it.each([
    [
      'against an item not on the checklist',
      { checklistItem: 'B7' },
      400,
      'unknown_checklist_item',
      'use one of A1, A2',
    ],
    ['seen in the future', { observedAt: '2026-03-02T03:00:00Z' }, 400, 'future_time', 'in the future'],
    [
      'seen before the campaign',
      { observedAt: '2026-02-27T02:00:00Z' },
      400,
      'outside_period',
      'observed on 2026-02-27, outside',
    ],
    ['in a township the campaign does not cover', { lon: 113.25 }, 400, 'outside_campaign', 'outside the cells'],
    ['outside every region', { lon: 100, lat: 30 }, 400, 'outside_jurisdiction', 'outside every region'],
    [
      'with a photo that is text',
      { photos: [{ data: Buffer.from('not a picture at all').toString('base64'), contentType: 'image/png' }] },
      415,
      'unsupported_photo_type',
      'photo 1',
    ],
    ['of an unknown severity', { severity: 'grave' }, 400, 'invalid_request', 'severity'],
    [
      // 15:30Z is 23:30 on 28 February in Beijing: the day before the campaign starts, in the service's
      // time zone (the next test: 16:30Z is already 1 March there)
      'seen at 23:30 the evening before the campaign, Beijing time',
      { observedAt: '2026-02-28T15:30:00Z' },
      400,
      'outside_period',
      'observed on 2026-02-28',
    ],
  ])('%s', async (_name, patch, status, code, words) => {
    expect(await refused(url(), finding(patch), status, code)).toContain(words)
  })

  it('in an unknown campaign, or from a unit officer', async () => {
    await refused('/api/inspections/999999/findings', finding({}), 404, 'not_found')
    await refused(url(), finding({}), 403, 'forbidden', iw.unitOfficerT2)
  })

  it('where nobody answers for the place: refused, the flag it would have made rolled back', async () => {
    // a second region whose only cell has nobody responsible (and no staffed cell above it)
    const f = factories(t.database.db)
    const region = await f.region('R2', box(114, 35, 114.1, 35.1))
    await f.cell({ regionId: region.id, code: 'Z0', level: 1, geometry: box(114, 35, 114.1, 35.1) })
    const open = await t.app.inject({
      method: 'POST',
      url: '/api/inspections',
      headers: iw.inspector,
      payload: { ...CAMPAIGN, code: 'NOBODY', units: [] },
    })
    expect(open.statusCode, open.body).toBe(201)
    const message = await refused(
      `/api/inspections/${open.json().id}/findings`,
      finding({ lon: 114.05, photos: [{ data: PNG, contentType: 'image/png' }] }),
      409,
      'no_accountable_cell',
    )
    expect(message).toContain('nobody is accountable')
  })

  it("when its campaign's category was deactivated since: refused, saying so", async () => {
    const put = (active: boolean) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/flags/categories/fence',
        headers: iw.admin,
        payload: {
          nameZh: '围挡',
          nameEn: 'Fences',
          ackLimit: { amount: 1, unit: 'working_days' },
          completeLimit: { amount: 3, unit: 'working_days' },
          active,
        },
      })
    expect((await put(true)).statusCode).toBe(200)
    const open = await t.app.inject({
      method: 'POST',
      url: '/api/inspections',
      headers: iw.inspector,
      payload: { ...CAMPAIGN, code: 'FENCES', category: 'fence' },
    })
    expect(open.statusCode, open.body).toBe(201)
    expect((await put(false)).statusCode).toBe(200)
    const message = await refused(
      `/api/inspections/${open.json().id}/findings`,
      finding({}),
      409,
      'campaign_category_inactive',
    )
    expect(message).toContain('"fence") is no longer active')
  })

  it('is accepted from the first minute of its first day, Beijing time', async () => {
    // 00:30 on 1 March in Beijing is 16:30 on 28 February in UTC
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/inspections/${iw.campaignId}/findings`,
      headers: iw.inspector,
      payload: finding({ observedAt: '2026-02-28T16:30:00Z' }),
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json().observedAt).toBe('2026-02-28T16:30:00.000Z')
  })

  it('is accepted anywhere in the county when the campaign names no cells or units', async () => {
    const open = await t.app.inject({
      method: 'POST',
      url: '/api/inspections',
      headers: iw.inspector,
      payload: { ...CAMPAIGN, code: 'COUNTY', units: [] },
    })
    expect(open.statusCode, open.body).toBe(201)
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/inspections/${open.json().id}/findings`,
      headers: iw.inspector,
      payload: finding({ lon: 113.25, photos: [{ data: PNG, contentType: 'image/png' }] }),
    })
    expect(res.statusCode, res.body).toBe(201)
    expect(res.json()).toMatchObject({ unit: { code: 'T3' }, cellCode: 'T3', state: 'dispatched' })
  })
})
