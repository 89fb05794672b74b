// A hand-built world for the flag tests, and small helpers to drive the flag API.
//
//   county C (level 1, staffed)                       113.00 ─────────── 113.02 ─────────── 113.04
//   ├─ township C01 (level 2, staffed)          35.02 ┌─ C01003 ─┬─ gap ──┬──────── C02001 ───────┐
//   │   ├─ C01001 village, staffed                    │ (vacant) │(no L3) │  its only person's    │
//   │   ├─ C01002 village, staffed, overlaps    35.01 ├──────────┼────────┤  duty ended yesterday │
//   │   │          C01001 in [113.009, 113.01]        │  C01001 ░│ C01002 │                       │
//   │   └─ C01003 village, vacant               35.00 └──────────┴────────┴───────────────────────┘
//   └─ township C02 (level 2, staffed)
//       └─ C02001 village, vacant since today
import { expect } from 'vitest'
import type { Kysely } from 'kysely'
import type { DB } from '../../server/src/db/schema.js'
import { signedIn, testApp, type TestApp } from '../helpers/app.js'
import { box, factories } from '../helpers/factories.js'

/** Shanghai wall-clock time as an instant (UTC+8). */
export const sh = (day: string, hhmm: string) => new Date(`${day}T${hhmm}:00+08:00`)

export const POINTS = {
  village: [113.005, 35.005],
  village2: [113.015, 35.005],
  /** on the edge shared by C01001 and C01003 */
  boundary: [113.005, 35.01],
  /** inside both C01001 and C01002 */
  overlap: [113.0095, 35.005],
  gap: [113.015, 35.015],
  vacant: [113.005, 35.015],
  endedYesterday: [113.03, 35.01],
  outside: [100, 30],
} as const

export type Headers = Record<string, string>

export interface FlagsWorld {
  cells: Record<string, number>
  people: Record<string, number>
  admin: Headers
  admin2: Headers
  inspector: Headers
  inspectorId: number
  inspector2: Headers
  viewer: Headers
  /** supervisors: of C01001, of C01002, of township C01, of township C02, of the county */
  supV1: Headers
  supV2: Headers
  supT1: Headers
  supT2: Headers
  supCounty: Headers
}

/** Builds the world; `today` is the clock's Shanghai date (the C02001 duty ends the day before). */
export async function flagsWorld(t: TestApp, yesterday: string): Promise<FlagsWorld> {
  const f = factories(t.database.db)
  const region = await f.region('C', box(113, 35, 113.04, 35.02))
  const cell = (code: string, level: number, parentCode: string | null, geometry: ReturnType<typeof box>) =>
    f.cell({ regionId: region.id, code, level, parentCode, geometry, name: `格${code}` })
  const C = await cell('C', 1, null, box(113, 35, 113.04, 35.02))
  const C01 = await cell('C01', 2, 'C', box(113, 35, 113.02, 35.02))
  const C02 = await cell('C02', 2, 'C', box(113.02, 35, 113.04, 35.02))
  const V1 = await cell('C01001', 3, 'C01', box(113, 35, 113.01, 35.01))
  const V2 = await cell('C01002', 3, 'C01', box(113.009, 35, 113.02, 35.01))
  const V3 = await cell('C01003', 3, 'C01', box(113, 35.01, 113.01, 35.02))
  const V6 = await cell('C02001', 3, 'C02', box(113.02, 35, 113.04, 35.02))
  const countyChief = await f.person('县网格长')
  await f.duty({ personId: countyChief.id, cellId: C.id, role: 'grid_chief' })
  const t1 = await f.staff(C01.id, ['乡长一', '乡员一'])
  const t2 = await f.staff(C02.id, ['乡长二', '乡员二'])
  const v1 = await f.staff(V1.id, ['张三', '李四'])
  const v2 = await f.staff(V2.id, ['王五', '赵六'])
  const gone = await f.person('钱七')
  await f.duty({ personId: gone.id, cellId: V6.id, role: 'grid_chief', startsOn: '2020-01-01', endsOn: yesterday })
  const inspector = await signedIn(t, 'inspector')
  return {
    cells: { C: C.id, C01: C01.id, C02: C02.id, C01001: V1.id, C01002: V2.id, C01003: V3.id, C02001: V6.id },
    people: {
      countyChief: countyChief.id,
      t1Chief: t1.chief.id,
      t1Member: t1.member.id,
      t2Chief: t2.chief.id,
      t2Member: t2.member.id,
      v1Chief: v1.chief.id,
      v1Member: v1.member.id,
      v2Chief: v2.chief.id,
      gone: gone.id,
    },
    admin: (await signedIn(t, 'admin')).headers,
    admin2: (await signedIn(t, 'admin')).headers,
    inspector: inspector.headers,
    inspectorId: inspector.userId,
    inspector2: (await signedIn(t, 'inspector')).headers,
    viewer: (await signedIn(t, 'viewer')).headers,
    supV1: (await signedIn(t, 'supervisor', v1.chief.id)).headers,
    supV2: (await signedIn(t, 'supervisor', v2.chief.id)).headers,
    supT1: (await signedIn(t, 'supervisor', t1.chief.id)).headers,
    supT2: (await signedIn(t, 'supervisor', t2.chief.id)).headers,
    supCounty: (await signedIn(t, 'supervisor', countyChief.id)).headers,
  }
}

export const point = (p: readonly number[]) => ({ type: 'Point', coordinates: [...p] })

export interface FlagBody {
  id: number
  version: number
  state: string
  unowned: boolean
  routing: {
    rule: string | null
    cellCode: string | null
    accountableCellCode: string | null
    townshipCode: string | null
    missingLevel: number | null
    gapParentCode: string | null
  }
  ackDueAt: string | null
  completeDueAt: string | null
  overdue: { ack: boolean; completion: boolean; any: boolean }
  escalationLevel: number
  escalatedTo: { code: string } | null
  timeline: {
    action: string
    fromState: string | null
    toState: string | null
    actor: { login: string }
    comment: string | null
    photoIds: number[]
    details: unknown
  }[]
  photos: { id: number; contentType: string; sizeBytes: number; url: string }[]
  assignees: { name: string; role: string; cellCode: string; reason: string }[]
  allowedActions: string[]
}

export function flagApi(t: TestApp) {
  const inject = (method: 'GET' | 'POST', url: string, headers: Headers, payload?: unknown) =>
    t.app.inject({ method, url, headers, payload: payload as object })
  return {
    inject,
    async report(headers: Headers, body: Record<string, unknown>) {
      return inject('POST', '/api/flags', headers, { description: 'test', ...body })
    },
    /** reports a flag that must be created (201) */
    async reportOk(headers: Headers, body: Record<string, unknown>): Promise<FlagBody> {
      const res = await inject('POST', '/api/flags', headers, {
        description: 'test',
        confirmNotDuplicate: true,
        ...body,
      })
      expect(res.statusCode, res.body).toBe(201)
      return res.json() as FlagBody
    },
    async get(headers: Headers, id: number): Promise<FlagBody> {
      const res = await inject('GET', `/api/flags/${id}`, headers)
      expect(res.statusCode, res.body).toBe(200)
      return res.json() as FlagBody
    },
    act(headers: Headers, id: number, action: string, body: Record<string, unknown>) {
      return inject('POST', `/api/flags/${id}/${action}`, headers, body)
    },
    /** takes an action that must succeed; returns the flag */
    async actOk(headers: Headers, id: number, action: string, body: Record<string, unknown> = {}): Promise<FlagBody> {
      const current = (await this.get(headers, id)).version
      const res = await inject('POST', `/api/flags/${id}/${action}`, headers, { version: current, ...body })
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200)
      return res.json() as FlagBody
    },
  }
}

/** Rows in every table a flag request writes to. */
export async function counts(db: Kysely<DB>) {
  const n = async (table: 'flags' | 'flag_photos' | 'flag_events' | 'flag_assignees') =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    )
  const audit = Number(
    (
      await db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('entity_type', 'in', ['flag', 'flag_category', 'holiday'])
        .executeTakeFirstOrThrow()
    ).n,
  )
  return {
    flags: await n('flags'),
    photos: await n('flag_photos'),
    events: await n('flag_events'),
    assignees: await n('flag_assignees'),
    audit,
  }
}

export const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
  Buffer.alloc(200, 7),
  Buffer.from([0xff, 0xd9]),
])
export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(100, 1)])
export const WEBP = Buffer.concat([
  Buffer.from('RIFF'),
  Buffer.from([0x24, 0, 0, 0]),
  Buffer.from('WEBPVP8 '),
  Buffer.alloc(50, 2),
])
export const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(50, 3)])

/** A multipart/form-data body built by hand (what a phone browser's FormData sends). */
export function multipart(
  fields: Record<string, string>,
  files: { field?: string; filename: string; type: string; data: Buffer }[],
) {
  const boundary = `----everyinch${Math.random().toString(16).slice(2)}`
  const chunks: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`))
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'photos'}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
    )
    chunks.push(f.data, Buffer.from('\r\n'))
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

export type FlagApi = ReturnType<typeof flagApi>
/** The clock of the flags route tests: a Monday morning in working hours. */
export const NOW = sh('2026-11-30', '10:00')

/**
 * The app, people and API helpers the flags route tests share: long sessions, no sign-in throttling,
 * small photo limits (4 KiB, 4 photos) so the limits are cheap to reach, the clock at NOW.
 */
export async function flagsSuite(): Promise<{ t: TestApp; w: FlagsWorld; api: FlagApi }> {
  const t = await testApp({
    env: {
      SESSION_TTL_HOURS: '8760',
      SIGNIN_RATE_PER_MINUTE: '100000',
      FLAG_PHOTO_MAX_BYTES: '4096',
      FLAG_PHOTO_MAX_COUNT: '4',
    },
  })
  t.clock.now = NOW
  const w = await flagsWorld(t, '2026-11-29')
  return { t, w, api: flagApi(t) }
}
