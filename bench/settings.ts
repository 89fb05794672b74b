// Settings of a bench run: sizes (--quick), the match tolerance, the reference date, the start time.
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const args = new Set(process.argv.slice(2))
export const QUICK = args.has('--quick')
export const SIZES = QUICK
  ? { cells: 2000, big: 100_000, small: 20_000, embedded: 20_000, seconds: 5 }
  : { cells: 10_000, big: 1_000_000, small: 100_000, embedded: 100_000, seconds: 10 }
export const TOLERANCE = 10
export const AT = new Date().toISOString().slice(0, 10)
export const started = performance.now()
