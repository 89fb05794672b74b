// Load over HTTP (autocannon against the real app) next to the same lookup as bare SQL; point lookups.
import autocannon from 'autocannon'
import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { buildApp } from '../server/src/app.js'
import { loadConfig } from '../server/src/config.js'
import { detectCapabilities, type Database } from '../server/src/db/database.js'
import { SYSTEM_ACTOR } from '../server/src/db/repositories/audit.repository.js'
import { createUser } from '../server/src/services/auth.service.js'
import { FLOOR_POINT } from './floors.js'
import { ms, pct, record } from './report.js'
import { AT, SIZES } from './settings.js'

export function randomPoints(bbox: number[], n: number): [number, number][] {
  let s = 12345
  const r = () => (s = (s * 48271) % 2147483647) / 2147483647
  return Array.from(
    { length: n },
    () => [bbox[0]! + r() * (bbox[2]! - bbox[0]!), bbox[1]! + r() * (bbox[3]! - bbox[1]!)] as [number, number],
  )
}

export async function startApp(
  database: Database,
  env: Record<string, string> = {},
): Promise<{ app: FastifyInstance; base: string; token: string }> {
  const config = loadConfig({ WEB_DIST: '/nonexistent', LOG_LEVEL: 'error', SIGNIN_RATE_PER_MINUTE: '100000', ...env })
  const app = await buildApp({ config, database, capabilities: await detectCapabilities(database.db) })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
  const login = `bench${Date.now()}`
  await createUser(database.db, SYSTEM_ACTOR, {
    login,
    displayName: 'bench',
    role: 'viewer',
    personId: null,
    password: 'benchmark password',
  })
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: 'benchmark password' }),
  })
  const token = ((await res.json()) as { token: string }).token
  return { app, base, token }
}

export async function cannon(base: string, token: string, paths: string[], connections: number, seconds: number) {
  let i = 0
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    headers: { authorization: `Bearer ${token}` },
    requests: [{ setupRequest: ((req: { path?: string }) => ({ ...req, path: paths[i++ % paths.length] })) as never }],
  })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

/** The bare SQL lookup through a pg pool at the same concurrency, for the same time. */
async function sqlLoad(
  run: (lon: number, lat: number) => Promise<unknown>,
  points: [number, number][],
  connections: number,
  seconds: number,
) {
  const latencies: number[] = []
  const end = performance.now() + seconds * 1000
  let i = 0
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const p = points[i++ % points.length]!
        const t0 = performance.now()
        await run(p[0], p[1])
        latencies.push(performance.now() - t0)
      }
    }),
  )
  return { rps: latencies.length / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) }
}

export async function benchPoints(
  label: string,
  database: Database,
  floorQuery: (text: string, values: unknown[]) => Promise<unknown>,
  connections: number,
) {
  const bbox = (
    await sql<{
      b: number[]
    }>`SELECT ARRAY[ST_XMin(boundary), ST_YMin(boundary), ST_XMax(boundary), ST_YMax(boundary)]::float8[] AS b FROM regions LIMIT 1`.execute(
      database.db,
    )
  ).rows[0]!.b
  const points = randomPoints(bbox, 500)
  const { app, base, token } = await startApp(database)
  const paths = points.map(([lon, lat]) => `/api/accountability?lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}&at=${AT}`)
  await cannon(base, token, paths, connections, 2) // warm-up
  const http = await cannon(base, token, paths, connections, SIZES.seconds)
  await app.close()
  const floor = await sqlLoad((lon, lat) => floorQuery(FLOOR_POINT, [lon, lat, AT]), points, connections, SIZES.seconds)
  const ratio = http.rps / floor.rps
  record(
    {
      section: label,
      operation: `point accountability lookups, ${connections} connections`,
      size: 'HTTP vs SQL',
      service: `${Math.round(http.rps)} req/s, p50 ${http.p50} ms, p99 ${http.p99} ms`,
      floor: `${Math.round(floor.rps)} q/s, p50 ${ms(floor.p50)}, p99 ${ms(floor.p99)}`,
      ratio: `${(ratio * 100).toFixed(0)}%`,
      target: '≥ 70% of SQL throughput',
      met: ratio >= 0.7 ? 'yes' : 'NO',
    },
    { http, floor },
  )
}
