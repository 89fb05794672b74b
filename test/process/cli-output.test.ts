// Issue 11, item 11: CLI output piped into another program was cut at 64 KiB (the pipe's buffer)
// because the process exited before standard output drained. The reader here is deliberately slow.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { afterAll, describe, expect, inject, test } from 'vitest'
import { ROOT } from '../helpers/templates.js'
import { migratedFolder, runCli, serverDatabase, tempDir } from './data-folder.helpers.js'

// each spawned process starts PGlite from scratch: seconds each, but minutes on a busy 2-core machine
const PROCESS_TEST_TIMEOUT_MS = 1_800_000

const templates = inject('templates')

// A circle of radius 2 km with 3000 vertices and one small square cell in its middle: the rest of the
// circle is one gap, and the JSON report carries its geometry (about 200 KB pretty-printed).
const [LON, LAT, RADIUS_M, VERTICES, SIDE_M] = [113.2, 35.1, 2000, 3000, 200]
const degreesEast = (m: number) => m / (111_320 * Math.cos((LAT * Math.PI) / 180))
const degreesNorth = (m: number) => m / 110_574

function squareCell(dir: string): string {
  const [dx, dy] = [degreesEast(SIDE_M / 2), degreesNorth(SIDE_M / 2)]
  const ring = [
    [LON - dx, LAT - dy],
    [LON + dx, LAT - dy],
    [LON + dx, LAT + dy],
    [LON - dx, LAT + dy],
    [LON - dx, LAT - dy],
  ]
  const file = path.join(dir, 'square.geojson')
  fs.writeFileSync(
    file,
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: '419999001', name: 'Square', level: 1 },
          geometry: { type: 'Polygon', coordinates: [ring] },
        },
      ],
    }),
  )
  return file
}

function circleRegion(dir: string): string {
  const ring: number[][] = []
  for (let i = 0; i < VERTICES; i++) {
    const a = (2 * Math.PI * i) / VERTICES
    ring.push([LON + degreesEast(RADIUS_M * Math.cos(a)), LAT + degreesNorth(RADIUS_M * Math.sin(a))])
  }
  ring.push(ring[0]!)
  const file = path.join(dir, 'circle.geojson')
  fs.writeFileSync(
    file,
    JSON.stringify({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: { code: '419999', name: 'Circle' },
          geometry: { type: 'Polygon', coordinates: [ring] },
        },
      ],
    }),
  )
  return file
}

/** Runs the CLI with its output read by a consumer that takes a while over each chunk. */
async function runWithSlowReader(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env }
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server/src/cli/index.ts'), ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (c) => (stderr += c))
  const chunks: Buffer[] = []
  const slow = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk)
      setTimeout(done, 20)
    },
  })
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  await pipeline(child.stdout, slow)
  return { code: await closed, stdout: Buffer.concat(chunks).toString('utf8'), stderr }
}

async function importCircleAndSquare(env: Record<string, string>) {
  const dir = tempDir('cli-output')
  const region = await runCli(['import', 'regions', circleRegion(dir)], env)
  expect(region.code, region.stderr).toBe(0)
  const cell = await runCli(['import', 'cells', squareCell(dir), '--region', '419999'], env)
  expect(cell.code, cell.stdout + cell.stderr).toBe(0)
}

const expectedAreaM2 = Math.PI * RADIUS_M ** 2 - SIDE_M ** 2

function checkReport(run: { code: number | null; stdout: string; stderr: string }) {
  expect(run.code, run.stderr).toBe(0)
  expect(Buffer.byteLength(run.stdout)).toBeGreaterThan(64 * 1024)
  const report = JSON.parse(run.stdout) as {
    scope: { code: string }
    gaps: { areaM2: number; geometry: { coordinates: unknown[] } }[]
  }
  expect(report.scope.code).toBe('419999')
  expect(report.gaps).toHaveLength(1)
  // the gap is the circle less the square: πr² − s², within the polygon's and the ellipsoid's small differences
  expect(Math.abs(report.gaps[0]!.areaM2 - expectedAreaM2) / expectedAreaM2).toBeLessThan(0.01)
}

describe.skipIf(templates.kind !== 'embedded')('coverage --json on the embedded database', () => {
  test(
    'the whole report (> 64 KiB) reaches a slow reader and parses',
    { timeout: PROCESS_TEST_TIMEOUT_MS },
    async () => {
      const dataDir = await migratedFolder('cli-output')
      await importCircleAndSquare({ DATA_DIR: dataDir })
      checkReport(await runWithSlowReader(['coverage', '--region', '419999', '--json'], { DATA_DIR: dataDir }))
    },
  )
})

describe.skipIf(templates.kind !== 'server')('coverage --json on a server database', () => {
  const drops: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const drop of drops) await drop()
  })

  test(
    'the whole report (> 64 KiB) reaches a slow reader and parses',
    { timeout: PROCESS_TEST_TIMEOUT_MS },
    async () => {
      const database = await serverDatabase('empty')
      drops.push(database.drop)
      await importCircleAndSquare({ DATABASE_URL: database.url })
      checkReport(await runWithSlowReader(['coverage', '--region', '419999', '--json'], { DATABASE_URL: database.url }))
    },
  )
})
