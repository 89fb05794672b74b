// Import progress on a terminal: a bar with features/s and an ETA from the bytes read out of the file's
// size; plain lines every few seconds when stderr is not a terminal (CI logs, redirects).
import type { ByteProgress } from '../services/feature-source.js'

export interface ImportCounts {
  read: number
  imported: number
  rejected: number
}

const seconds = (s: number) =>
  s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`
      : `${Math.round(s)}s`

export function progressReporter(bytes: ByteProgress, out: NodeJS.WriteStream = process.stderr) {
  const started = performance.now()
  const tty = out.isTTY === true
  let last = 0
  let lastLine = ''
  const line = (c: ImportCounts, final: boolean) => {
    const elapsed = (performance.now() - started) / 1000
    const rate = c.read / Math.max(elapsed, 1e-3)
    const fraction = bytes.totalBytes ? Math.min(1, bytes.bytesRead / bytes.totalBytes) : null
    const eta = fraction && fraction > 0 && !final ? (elapsed / fraction) * (1 - fraction) : null
    const counts = `${c.read.toLocaleString('en')} read, ${c.imported.toLocaleString('en')} imported, ${c.rejected} rejected, ${Math.round(rate).toLocaleString('en')} features/s`
    const pct = fraction === null ? '' : `${(fraction * 100).toFixed(1).padStart(5)}%`
    const etaText = final ? `in ${seconds(elapsed)}` : eta === null ? '' : `ETA ${seconds(eta)}`
    if (!tty) return `  ${pct ? pct + ' ' : ''}${counts}${etaText ? `, ${etaText}` : ''}`
    const width = 28
    const filled = fraction === null ? 0 : Math.round(fraction * width)
    return `\r  [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${pct} ${counts} ${etaText}\x1b[K`
  }
  return {
    update(c: ImportCounts) {
      const now = performance.now()
      if (now - last < (tty ? 200 : 5000)) return
      last = now
      lastLine = line(c, false)
      out.write(tty ? lastLine : `${lastLine}\n`)
    },
    done(c: ImportCounts) {
      out.write(tty ? `${line(c, true)}\n` : `${line(c, true)}\n`)
    },
    /** what the last update said (tests) */
    get last() {
      return lastLine
    },
  }
}
