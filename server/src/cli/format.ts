// Plain-text renderings of service results for the terminal.
import type { CoverageReport } from '../services/coverage.service.js'
import type { ImportReport } from '../services/import.service.js'

const km2 = (m2: number) => `${(m2 / 1e6).toFixed(3)} km²`
const m2 = (v: number) => `${Math.round(v).toLocaleString('en-US')} m²`
/** the service already rounds percentages down to two decimals; print them as they are */
const pct = (p: number) => `${p.toFixed(2)}%`

export function formatImportReport(r: ImportReport, seconds: number): string {
  const lines = [
    `${r.committed ? 'imported' : 'NOTHING imported'}: ${r.imported} of ${r.read} ${r.kind} read in ${seconds.toFixed(1)} s` +
      (r.rematched ? `; ${r.rematched} parcels rematched` : ''),
  ]
  for (const w of r.warnings) lines.push(`warning: ${w}`)
  if (r.repairedTotal) {
    lines.push(`repaired ${r.repairedTotal}:`)
    for (const x of r.repaired) lines.push(`  #${x.index} ${x.id}: area ${m2(x.areaBeforeM2)} → ${m2(x.areaAfterM2)}`)
    if (r.repairedTotal > r.repaired.length) lines.push(`  … and ${r.repairedTotal - r.repaired.length} more`)
  }
  if (r.rejectedTotal) {
    lines.push(`${r.skipped ? `skipped ${r.skipped}; ` : ''}rejected ${r.rejectedTotal}:`)
    for (const x of r.rejected) {
      const at = x.location ? ` at ${x.location[0]}, ${x.location[1]}` : ''
      lines.push(`  #${x.index} ${x.id ?? '(no id)'}: ${x.reason}${at}`)
    }
    if (r.rejectedTotal > r.rejected.length) lines.push(`  … and ${r.rejectedTotal - r.rejected.length} more`)
    if (!r.committed) lines.push('the import is all or nothing: fix these, or use --invalid skip / --invalid repair')
  }
  return lines.join('\n')
}

export function formatCoverage(r: CoverageReport): string {
  const s = r.summary
  const lines = [
    `coverage of ${r.scope.name} (${r.scope.code}) on ${r.at}`,
    `  area ${km2(s.areaM2)}, covered ${km2(s.coveredAreaM2)} (${pct(s.coveredPct)})`,
    `  gaps ${s.gaps} (${m2(s.gapAreaM2)}), allowed gaps ${s.allowedGaps}, overlaps ${s.overlaps} (${m2(s.overlapAreaM2)}), spills ${s.spills}, multi-part cells ${s.multipartCells}`,
    `  cells vacant ${s.vacantCells}, understaffed ${s.understaffedCells}, expiring within ${r.thresholds.expiringSoonDays} days ${s.expiringCells}`,
    `  parcels ${Object.entries(s.parcels)
      .sort()
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    '',
    'per level:',
    ...r.levels.map(
      (l) =>
        `  level ${l.level}: ${l.cells} cells (staffed ${l.staffed}, understaffed ${l.understaffed}, vacant ${l.vacant}); gaps ${l.gaps} ${m2(l.gapAreaM2)}, overlap ${m2(l.overlapAreaM2)}`,
    ),
    '',
    'children by coverage:',
    ...(r.children.length ? [] : ['  (no child cells)']),
    ...r.children.map(
      (c) =>
        `  ${c.code} ${c.name.padEnd(10)} ${pct(c.coveredPct).padStart(8)}  gaps ${m2(c.gapAreaM2).padStart(12)}  vacant ${c.vacantCells}`,
    ),
    ...(r.outsideChildren.gaps || r.outsideChildren.overlaps
      ? [
          `  not under any child: gaps ${r.outsideChildren.gaps} (${m2(r.outsideChildren.gapAreaM2)}), overlaps between children ${r.outsideChildren.overlaps} (${m2(r.outsideChildren.overlapAreaM2)})`,
        ]
      : []),
    '',
    r.gaps.length < s.gaps
      ? `gaps (${r.gaps.length} of ${s.gaps} listed: those of at least ${m2(r.thresholds.minGapM2)}):`
      : 'gaps:',
    ...r.gaps.map(
      (g) =>
        `  ${g.id} ${g.kind.padEnd(7)} ${m2(g.areaM2).padStart(12)} beside ${g.neighbourCodes.join(', ')} — point ${g.point.map((v) => v.toFixed(6)).join(', ')}`,
    ),
    r.overlaps.length < s.overlaps ? `overlaps (${r.overlaps.length} of ${s.overlaps} listed):` : 'overlaps:',
    ...r.overlaps.map(
      (o) =>
        `  ${o.id} ${o.cellCodes.join(' × ')} ${m2(o.areaM2)} — point ${o.point.map((v) => v.toFixed(6)).join(', ')}`,
    ),
    `vacant cells: ${r.staffing.vacant.map((c) => `${c.code} ${c.name}`).join(', ') || 'none'}`,
  ]
  return lines.join('\n')
}
