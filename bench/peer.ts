// The peer: MapServer 8 (Debian's cgi-mapserver) as FastCGI behind lighttpd, serving the same PostGIS
// tables as MVT, over the same tile list and concurrency as the app.
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'

type Tile = { z: number; layer: string; x: number; y: number }
type Cannon = (
  base: string,
  token: string,
  paths: string[],
  connections: number,
  seconds: number,
) => Promise<{ rps: number; p50: number; p99: number; non2xx: number }>

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer()
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export async function runPeer(o: {
  url: string
  mapserv: string
  lighttpd: string
  list: Tile[]
  seconds: number
  log: (s: string) => void
  record: (
    r: {
      section: string
      operation: string
      size: string
      service: string
      floor: string
      ratio: string
      target: string
      met: string
    },
    data: Record<string, unknown>,
  ) => void
  cannon: Cannon
}) {
  const u = new URL(o.url)
  const dir = mkdtempSync('/tmp/everyinch-mapserver.')
  const conn = `host=${u.hostname} port=${u.port} dbname=${u.pathname.slice(1)} user=${u.username || 'postgres'}`
  const layer = (name: string, sqlText: string) => `
  LAYER
    NAME "${name}"
    TYPE POLYGON
    STATUS ON
    CONNECTIONTYPE POSTGIS
    CONNECTION "${conn}"
    PROCESSING "CLOSE_CONNECTION=DEFER"
    DATA "boundary FROM (${sqlText}) AS t USING UNIQUE id USING SRID=4326"
    PROJECTION "init=epsg:4326" END
    METADATA "gml_include_items" "all" "gml_types" "auto" END
    CLASS STYLE COLOR 0 0 0 END END
  END`
  writeFileSync(
    `${dir}/everyinch.map`,
    `MAP
  NAME "everyinch"
  EXTENT -20037508.34 -20037508.34 20037508.34 20037508.34
  SIZE 256 256
  PROJECTION "init=epsg:3857" END
  OUTPUTFORMAT
    NAME "mvt"
    DRIVER MVT
    FORMATOPTION "EXTENT=4096"
    FORMATOPTION "EDGE_BUFFER=64"
  END
  WEB METADATA "ows_enable_request" "*" END END
  ${layer('cells', 'SELECT id, code, name, level, boundary FROM grid_cells WHERE retired_at IS NULL')}
  ${layer('parcels', 'SELECT id, external_id, land_use, boundary FROM parcels')}
END
`,
  )
  // MapServer 8 reads its config file first and takes MS_MAPFILE only from its ENV block (a process
  // environment variable is ignored), so the default map file is named there
  writeFileSync(
    `${dir}/mapserver.conf`,
    `CONFIG\n  ENV\n    MS_MAP_PATTERN "^${dir}/"\n    MS_MAPFILE "${dir}/everyinch.map"\n  END\nEND\n`,
  )
  const port = await freePort()
  writeFileSync(
    `${dir}/lighttpd.conf`,
    `server.document-root = "${dir}"
server.port = ${port}
server.bind = "127.0.0.1"
server.modules = ("mod_fastcgi")
server.errorlog = "${dir}/error.log"
server.max-connections = 256
fastcgi.server = ( "/mapserv" => (( "socket" => "${dir}/mapserv.sock", "bin-path" => "${o.mapserv}", "max-procs" => 2, "check-local" => "disable",
  "bin-environment" => ( "MAPSERVER_CONFIG_FILE" => "${dir}/mapserver.conf" ) )) )
`,
  )
  const server = spawn(o.lighttpd, ['-D', '-f', `${dir}/lighttpd.conf`], { stdio: 'ignore' })
  try {
    const base = `http://127.0.0.1:${port}`
    const path = (t: Tile) =>
      `/mapserv?mode=tile&tilemode=gmap&tile=${t.x}+${t.y}+${t.z}&layers=${t.layer}&map.imagetype=mvt`
    for (let i = 0; i < 50; i++) {
      try {
        const r = await fetch(base + path(o.list[0]!))
        if (r.status === 200) break
      } catch {
        /* not up yet */
      }
      await new Promise((r) => setTimeout(r, 200))
    }
    const check = await fetch(base + path(o.list.find((t) => t.z === 14)!))
    const body = Buffer.from(await check.arrayBuffer())
    if (check.status !== 200 || !/protobuf|mvt|vector/.test(check.headers.get('content-type') ?? '')) {
      const msg = `MapServer peer did not answer with MVT (status ${check.status}, ${check.headers.get('content-type')}: ${body.toString('utf8', 0, 200)})`
      o.log(msg)
      return { skipped: msg }
    }
    const out: Record<string, unknown> = {}
    for (const z of [10, 14, 16]) {
      const tiles = o.list.filter((t) => t.z === z)
      const lat: number[] = []
      for (const t of tiles) {
        const t0 = performance.now()
        const r = await fetch(base + path(t))
        await r.arrayBuffer()
        lat.push(performance.now() - t0)
      }
      lat.sort((a, b) => a - b)
      const p = (q: number) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))]!
      out[`z${z}`] = lat
      o.record(
        {
          section: 'peer',
          operation: `MapServer 8 FastCGI tile z${z} (no cache)`,
          size: `${tiles.length} tiles`,
          service: `p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms`,
          floor: '–',
          ratio: '–',
          target: '–',
          met: '–',
        },
        { latencies: lat },
      )
    }
    const load = await o.cannon(base, '', o.list.map(path), 32, o.seconds)
    o.record(
      {
        section: 'peer',
        operation: 'MapServer 8 FastCGI tiles over HTTP, 32 connections',
        size: `${o.list.length} tiles`,
        service: `${Math.round(load.rps).toLocaleString('en')} tiles/s, p50 ${load.p50} ms, p99 ${load.p99} ms`,
        floor: '–',
        ratio: '–',
        target: '–',
        met: load.non2xx ? `${load.non2xx} non-2xx` : '–',
      },
      { load },
    )
    return out
  } finally {
    server.kill('SIGTERM')
  }
}
