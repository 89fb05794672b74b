// The bench's rows and results: logged as they come, then written to bench/results.json and bench/README.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Machine } from './cluster.js'
import { QUICK, ROOT, started } from './settings.js'

export type Row = {
  section: string
  operation: string
  size: string
  service: string
  floor: string
  ratio: string
  target: string
  met: string
  note?: string
}
export const rows: Row[] = []
export const results: Record<string, unknown> = {}
export const log = (s: string) =>
  console.log(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}`)
export const ms = (n: number) => `${n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : Math.round(n)} ms`
export const secs = (n: number) => `${(n / 1000).toFixed(2)} s`
export async function time<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now()
  const v = await f()
  return [performance.now() - t0, v]
}
export const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN
}
export function record(r: Row, data: Record<string, unknown>) {
  rows.push(r)
  results[`${r.section}: ${r.operation} (${r.size})`] = { ...r, ...data }
  log(
    `${r.section} | ${r.operation} (${r.size}): service ${r.service}, floor ${r.floor}, ratio ${r.ratio} — target ${r.target}: ${r.met}`,
  )
}

function markdown(m: Machine) {
  const lines = [
    `Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${QUICK ? ' (--quick: small sizes)' : ''} on ${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM; Node ${m.node}; PostgreSQL ${m.postgres} + PostGIS ${m.postgis} (private cluster, fsync=off); embedded ${m.embedded}. Load average at the end: ${m.load}.`,
    '',
    '| where | operation | size | service | raw-SQL floor | ratio | target | met |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.section} | ${r.operation} | ${r.size} | ${r.service} | ${r.floor} | ${r.ratio} | ${r.target} | ${r.met} |`,
    ),
  ]
  return lines.join('\n')
}

/** Writes bench/results.json and the results table between the markers in bench/README.md. */
export function writeReport(m: Machine) {
  writeFileSync(path.join(ROOT, 'bench/results.json'), JSON.stringify(results, null, 2) + '\n')
  const readme = path.join(ROOT, 'bench/README.md')
  const text = existsSync(readme)
    ? readFileSync(readme, 'utf8')
    : '# Benchmarks\n\n<!-- results -->\n<!-- /results -->\n'
  const table = `<!-- results -->\n${markdown(m)}\n<!-- /results -->`
  writeFileSync(
    readme,
    text.includes('<!-- results -->')
      ? text.replace(/<!-- results -->[\s\S]*<!-- \/results -->/, table)
      : `${text}\n${table}\n`,
  )
}
