// A small world for the continuity routes: a county, one township and four villages whose duties
// leave hand-countable shortfalls around "today" = 2026-06-15 (the test clock).
import type { TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

export const TODAY = '2026-06-15'
export const NOW = new Date('2026-06-15T04:00:00Z') // noon in Asia/Shanghai

export async function continuityWorld(t: TestApp) {
  t.clock.now = NOW
  const f = factories(t.database.db)
  const region = await f.region('K', box(113, 35, 113.05, 35.01))
  const cell = (code: string, level: number, parentCode: string | null, x: number) =>
    f.cell({
      regionId: region.id,
      code,
      level,
      parentCode,
      geometry: box(113 + x * 0.01, 35, 113.01 + x * 0.01, 35.01),
    })
  const county = await cell('K', 1, null, 0)
  const township = await cell('K01', 2, 'K', 0)
  const v1 = await cell('K01001', 3, 'K01', 0)
  const v2 = await cell('K01002', 3, 'K01', 1)
  const v3 = await cell('K01003', 3, 'K01', 2)
  const v4 = await cell('K01004', 3, 'K01', 3)
  const duty = async (
    cellId: number,
    role: 'grid_chief' | 'grid_member',
    name: string,
    startsOn: string,
    endsOn: string | null,
  ) => {
    const p = await f.person(name)
    await f.duty({ personId: p.id, cellId, role, startsOn, endsOn })
    return p
  }
  const countyChief = await duty(county.id, 'grid_chief', '县长', '2020-01-01', null)
  await duty(township.id, 'grid_chief', '镇长', '2020-01-01', null)
  // V1: no chief from 03-11 to 03-31 (21 days), the new chief starts 04-01
  await duty(v1.id, 'grid_chief', '甲', '2020-01-01', '2026-03-10')
  await duty(v1.id, 'grid_chief', '乙', '2026-04-01', null)
  await duty(v1.id, 'grid_member', '丙', '2020-01-01', null)
  // V2: everybody left on 04-30: vacant from 05-01, still today
  await duty(v2.id, 'grid_chief', '丁', '2020-01-01', '2026-04-30')
  await duty(v2.id, 'grid_member', '戊', '2020-01-01', '2026-04-30')
  // V3: the chief's last day is 06-25 with nobody after; the member hands over on 06-20/06-21
  const leavingChief = await duty(v3.id, 'grid_chief', '己', '2020-01-01', '2026-06-25')
  await duty(v3.id, 'grid_member', '庚', '2020-01-01', '2026-06-20')
  await duty(v3.id, 'grid_member', '辛', '2026-06-21', null)
  // V4: the chief's last day is 09-30 (107 days ahead), nobody after
  await duty(v4.id, 'grid_chief', '壬', '2020-01-01', '2026-09-30')
  await duty(v4.id, 'grid_member', '癸', '2020-01-01', null)
  return { county, township, v1, v2, v3, v4, countyChief, leavingChief }
}
