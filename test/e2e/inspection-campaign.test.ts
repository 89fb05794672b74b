// An inspection campaign on the Boai demo, in real headless Chromium against the real server. The
// inspector, on a phone, records a finding at the demo's staffed village (expected.json: cell
// 410822105214, so township 410822105 and its unit) and a second one without a signal, kept on the
// phone and sent once when the connection returns. The village's grid chief (demo-supervisor) reports
// the first one rectified with a photo; the inspector verifies it (the second person); the second one
// is left until the server's clock passes its deadline and it escalates to the township. The campaign
// report in the app and the month's assessment then show both, counted as worked out here by hand.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { Campaign, Finding, FindingList, Unit, UnitAssessment } from '../../web/src/api/types.js'
import { apiAs, launchChromium, openPage, screenshot, skipE2e, waitForMap, type ApiAs } from '../helpers/e2e-browser.js'
import { startE2eServer, type E2eServer } from '../helpers/e2e-server.js'
import { ROOT } from '../helpers/templates.js'

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true }
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)
const expected = JSON.parse(readFileSync(path.join(ROOT, 'fixtures/boai/expected.json'), 'utf8')) as {
  staffedPoint: { point: [number, number]; cellCode: string }
}
const CELL = expected.staffedPoint.cellCode
const TOWNSHIP = CELL.slice(0, 9)
/** the county's cell: the first six digits of the administrative codes */
const COUNTY = CELL.slice(0, 6)
/** A day in Asia/Shanghai (UTC+8 all year), `days` from now. */
const shanghaiDay = (days = 0) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10)
const shanghaiMonth = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 7)

describe.skipIf(skipE2e)('an inspection campaign, from finding to report (browser)', () => {
  let server: E2eServer
  let browser: Browser
  let admin: ApiAs
  let inspector: ApiAs
  let campaign: Campaign
  let unit: Unit

  beforeAll(async () => {
    browser = await launchChromium()
    server = await startE2eServer()
    admin = await apiAs(server.url, 'demo-admin')
    inspector = await apiAs(server.url, 'demo-inspector')
    unit = (await admin.get<Unit[]>('/api/units')).find((u) => u.cellCode === TOWNSHIP)!
  })

  afterAll(async () => {
    await inspector?.dispose()
    await admin?.dispose()
    await browser?.close()
    await server?.close()
  })

  it('records, rectifies, verifies, escalates and reports', { timeout: 300_000 }, async () => {
    expect(unit, `a unit for township ${TOWNSHIP}`).toBeDefined()
    const [lon, lat] = expected.staffedPoint.point
    const { context, page, problems } = await openPage(browser, server.url, {
      ...PHONE,
      login: 'demo-inspector',
      geolocation: { longitude: lon, latitude: lat, accuracy: 6 },
    })
    await page.goto('/')
    await waitForMap(page)
    await page.waitForFunction(() => window.__everyinch!.offlineReady === true, undefined, { timeout: 60_000 })
    await page.click('[data-panel=inspections]')
    // the inspector opens the campaign in the app: the whole county, serious findings within an hour
    await page.click('[data-testid=campaign-new] summary')
    await page.fill('[data-testid=campaign-code]', 'E2E-AIR')
    await page.fill('[data-testid=campaign-name]', '大气污染防治专项督察')
    await page.fill('[data-testid=campaign-line]', '大气')
    await page.fill('[data-testid=campaign-starts]', shanghaiDay(-7))
    await page.fill('[data-testid=campaign-ends]', shanghaiDay(30))
    await page.selectOption('[data-testid=campaign-category]', 'pollution')
    await page.fill('[data-testid=campaign-checklist]', 'A1 工地扬尘“六个百分百”\nA2 露天焚烧')
    await page.fill('[data-testid=campaign-limit-serious]', '1')
    await page.selectOption('[data-testid=campaign-unit-serious]', 'working_hours')
    await screenshot(page, 'inspection-campaign-form-phone')
    await page.click('[data-testid=campaign-submit]')
    await page.locator('[data-testid=campaign-select] option', { hasText: 'E2E-AIR' }).waitFor({ state: 'attached' })
    campaign = (await admin.get<{ campaigns: Campaign[] }>('/api/inspections')).campaigns.find(
      (c) => c.code === 'E2E-AIR',
    )!
    expect(campaign).toMatchObject({
      category: 'pollution',
      checklist: [
        { code: 'A1', label: '工地扬尘“六个百分百”' },
        { code: 'A2', label: '露天焚烧' },
      ],
      limits: {
        general: { amount: 5, unit: 'working_days' },
        major: { amount: 3, unit: 'working_days' },
        serious: { amount: 1, unit: 'working_hours' },
      },
      units: [],
    })
    expect(await page.locator('[data-testid=campaign-select]').inputValue()).toBe(String(campaign.id))
    const record = async (item: string, severity: string, text: string, photo: string) => {
      await page.click('[data-testid=finding-form] [data-testid=report-locate]')
      await page.locator('[data-testid=finding-form] [data-testid=report-location]').waitFor()
      await page.selectOption('[data-testid=finding-item]', item)
      await page.click(`[data-testid=finding-severity] [data-severity=${severity}]`)
      await page.fill('[data-testid=finding-description]', text)
      await page.setInputFiles('[data-testid=finding-photos]', { name: photo, mimeType: 'image/png', buffer: PNG })
      await page.click('[data-testid=finding-submit]')
    }

    // the first finding, online: the answer names the unit and the cell it went to
    await record('A1', 'general', '工地裸土未覆盖', 'site.png')
    const recorded = page.locator('[data-testid=finding-recorded]')
    await recorded.waitFor()
    expect(await recorded.innerText()).toContain(unit.name)
    expect(await recorded.innerText()).toContain(CELL)
    await screenshot(page, 'inspection-finding-phone')

    // the second, without a signal: kept on the phone, sent once when the connection returns
    await page.click('[data-testid=finding-another]')
    await context.setOffline(true)
    await record('A2', 'serious', '田间焚烧秸秆', 'smoke.png')
    await page.locator('[data-testid=finding-queued]').waitFor()
    await page.waitForFunction(() => window.__everyinch!.field.queued === 1)
    await context.setOffline(false)
    await page.waitForFunction(() => window.__everyinch!.field.queued === 0 && window.__everyinch!.field.sent === 1)

    const list = async () => (await admin.get<FindingList>(`/api/inspections/${campaign.id}/findings`)).findings
    const [f1, f2] = (await list()) as [Finding, Finding]
    expect((await list()).length).toBe(2)
    for (const f of [f1, f2])
      expect(f).toMatchObject({ unit: { code: unit.code }, cellCode: CELL, state: 'dispatched' })
    expect([f1.checklistItem, f1.severity, f2.checklistItem, f2.severity]).toEqual(['A1', 'general', 'A2', 'serious'])
    for (const f of [f1, f2])
      expect((await admin.get<{ photos: unknown[] }>(`/api/flags/${f.flagId}`)).photos).toHaveLength(1)

    // the village's grid chief reports the first rectified, with a photo; the inspector verifies it
    const chief = await apiAs(server.url, 'demo-supervisor')
    const version = async (id: number) => (await admin.get<{ version: number }>(`/api/flags/${id}`)).version
    await chief.post(`/api/flags/${f1.flagId}/acknowledge`, { version: await version(f1.flagId) })
    await chief.post(`/api/flags/${f1.flagId}/feedback`, {
      version: await version(f1.flagId),
      note: '已覆盖防尘网',
      photos: [{ data: PNG.toString('base64'), contentType: 'image/png', filename: 'covered.png' }],
    })
    // judging the rectification is not the grid chief's: an inspector (here the one who found it) verifies
    const own = await chief.postRaw(`/api/flags/${f1.flagId}/verify`, { version: await version(f1.flagId) })
    expect([own.status, (own.body as { error: { code: string } }).error.code]).toEqual([403, 'forbidden'])
    await inspector.post(`/api/flags/${f1.flagId}/verify`, { version: await version(f1.flagId) })
    await chief.dispose()

    expect(problems.filter((p) => !/net::ERR_(INTERNET_DISCONNECTED|FAILED)$/.test(p))).toEqual([])
    await context.close()

    // the second passes its deadline untouched: not acknowledged (due by the rectification deadline at
    // the latest) and not rectified, it escalates once for each missed limit, from the village to the
    // township and from there to the county (the server's clock moves on: sessions are made again)
    server.clock.set(new Date(Date.parse(f2.dueAt!) + 60_000))
    await admin.dispose()
    admin = await apiAs(server.url, 'demo-admin')
    const escalation = await admin.post<{
      escalated: { flagId: number; limit: string; fromCellCode: string; toCellCode: string }[]
    }>('/api/flags/escalate', {})
    expect(
      escalation.escalated.filter((e) => e.flagId === f2.flagId).map((e) => [e.limit, e.fromCellCode, e.toCellCode]),
    ).toEqual([
      ['ack', CELL, TOWNSHIP],
      ['complete', TOWNSHIP, COUNTY],
    ])
    const after = await list()
    expect(after.map((f) => [f.state, f.overdue, f.escalationLevel])).toEqual([
      ['closed', false, 0],
      ['dispatched', true, 2],
    ])

    // the campaign report in the app (a county officer at a desk): one on time, one open and overdue,
    // both the township's
    const desk = await openPage(browser, server.url, { login: 'demo-viewer' })
    const page2 = desk.page
    await page2.goto('/')
    await waitForMap(page2)
    await page2.click('[data-panel=inspections]')
    await page2.selectOption('[data-testid=campaign-select]', String(campaign.id))
    const row = page2.locator(`[data-testid=campaign-report] tr[data-row="${unit.code}"]`)
    await row.waitFor()
    expect(await row.locator('td').allInnerTexts()).toEqual(['2', '1', '1', '1', '0'])
    await page2.locator('[data-testid=finding-list] li[data-state=closed]').waitFor()
    await screenshot(page2, 'inspection-report-desk')

    // the assessment: the findings indicator of the month each fell due in, weighted by severity
    const year = Number(shanghaiMonth(f1.dueAt!).slice(0, 4))
    const scheme = await admin.get<{ redListSize: number; blackListSize: number; indicators: object[] }>(
      `/api/assessment/schemes/${year}`,
    )
    await admin.put(`/api/assessment/schemes/${year}`, {
      redListSize: scheme.redListSize,
      blackListSize: scheme.blackListSize,
      indicators: [
        ...scheme.indicators.map((i) => strip(i as Record<string, unknown>)),
        {
          code: 'inspection',
          kind: 'inspection_findings',
          name: '督查问题整改',
          nameEn: 'Findings',
          weight: 10,
          appliesTo: 'township',
        },
      ],
    })
    const rows = new Map<string, unknown[]>()
    for (const f of [f1, f2]) {
      const month = shanghaiMonth(f.id === f1.id ? f1.dueAt! : f2.dueAt!)
      if (rows.has(month)) continue
      const u = await admin.get<UnitAssessment>(`/api/assessment/${month}/units/${unit.code}`)
      rows.set(month, u.parts.find((p) => p.indicator === 'inspection')!.details)
    }
    const all = [...rows.values()].flat() as { flagId: number; weight: number; counted: boolean }[]
    expect(all.map((r) => [r.flagId, r.weight, r.counted]).sort()).toEqual(
      [
        [f1.flagId, 1, true],
        [f2.flagId, 3, false],
      ].sort(),
    )
    // and in the app: the township's drill-down lists the overdue one under the findings part
    const dueMonth = shanghaiMonth(f2.dueAt!)
    await page2.click('[data-panel=assessment]')
    await page2.fill('[data-testid=assess-month]', dueMonth)
    await page2.locator(`[data-testid=assess-ranking][data-month="${dueMonth}"]`).waitFor()
    await page2.click(`[data-testid=ranking-township] [data-open-unit="${unit.code}"]`)
    const part = page2.locator(`[data-testid=drill-down][data-unit="${unit.code}"] [data-part=inspection]`)
    await part.locator('details').evaluate((el) => ((el as HTMLDetailsElement).open = true))
    const shown = await part.locator('li[data-row=finding]').allInnerTexts()
    expect(shown).toHaveLength(rows.get(dueMonth)!.length)
    expect(shown.join('\n')).toContain(`督查问题 ${f2.id}（E2E-AIR，严重 ×3）`)
    await screenshot(page2, 'inspection-assessment-desk')
    expect(desk.problems).toEqual([])
    await desk.context.close()
  })
})

/** An indicator as read, as the scheme's PUT takes it. */
function strip(i: Record<string, unknown>) {
  const { code, kind, name, nameEn, weight, appliesTo, indicatorCode, sortOrder } = i
  return { code, kind, name, nameEn, weight, appliesTo, indicatorCode, sortOrder }
}
