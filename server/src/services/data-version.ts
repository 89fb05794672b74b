// A process-wide counter of writes that change what the map shows (boundaries, parcels, matches,
// staffing, flags). Caches of derived map data (vector tiles, the coverage layer) key their entries by
// it, so a write makes every older entry unreachable at once. Bump only after the write has committed:
// a reader that started before then stores its result under the old number, which nobody asks for again.
//
// It is in-process: another process writing to the same database (the CLI importing while the server
// runs) is not seen until something in this process bumps. See bench/README-sections.md, "Scaling out".
let version = 1

export function dataVersion(): number {
  return version
}

export function bump(): number {
  return ++version
}
