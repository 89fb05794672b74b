#!/usr/bin/env node
// npm start / npm run build: compiles the server (tsc, server/src -> dist/server) and builds the web app
// (Vite, web -> web/dist) when its output is missing or older than any of its sources; `--force` builds
// regardless; `server` or `web` builds that part only (the CLI needs only the server). The check is one
// stat per source file, so a start with both current builds nothing. Neither build type-checks (`npm run
// typecheck` does): a start never waits for, or fails on, a type check. Everything it prints goes to
// stderr, so a CLI command's own output stays clean when piped.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const force = process.argv.includes('--force')
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'))

const parts = [
  {
    key: 'server',
    name: 'the server',
    output: 'dist/server/server.js',
    sources: ['server/src', 'server/tsconfig.json', 'server/tsconfig.build.json', 'tsconfig.base.json'],
    tool: 'typescript/bin/tsc',
    args: ['-p', 'server/tsconfig.build.json'],
    // files of sources moved or deleted since the last build must not linger in the output
    clean: 'dist/server',
  },
  {
    key: 'web',
    name: 'the web app',
    output: 'web/dist/index.html',
    sources: ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'package-lock.json'],
    tool: 'vite/bin/vite.js',
    args: ['build', '--config', 'web/vite.config.ts'],
  },
]

/** Newest modification time under `p` (0 when it does not exist); tests are not part of a build. */
function newest(p) {
  if (!existsSync(p)) return 0
  const s = statSync(p)
  if (!s.isDirectory()) return /\.test\.ts$/.test(p) ? 0 : s.mtimeMs
  let latest = 0
  for (const entry of readdirSync(p)) latest = Math.max(latest, newest(path.join(p, entry)))
  return latest
}

for (const part of parts.filter((p) => only.length === 0 || only.includes(p.key))) {
  const output = path.join(root, part.output)
  const built = existsSync(output) ? statSync(output).mtimeMs : 0
  const changed = Math.max(...part.sources.map((p) => newest(path.join(root, p))))
  if (!force && built > 0 && built >= changed) continue
  const tool = path.join(root, 'node_modules', part.tool)
  if (!existsSync(tool)) {
    // an install without the build tools (e.g. a deployment that ships its build): run what was built
    if (built > 0 && !force) {
      console.warn(`everyinch: ${part.output} is older than its sources, but ${part.tool} is not installed: using it`)
      continue
    }
    console.error(`everyinch: cannot build ${part.name}: ${part.tool} is not installed (run npm install)`)
    process.exit(1)
  }
  console.error(`everyinch: building ${part.name} (${part.output})…`)
  if (part.clean) rmSync(path.join(root, part.clean), { recursive: true, force: true })
  try {
    execFileSync(process.execPath, [tool, ...part.args], { cwd: root, stdio: ['ignore', 2, 2] })
  } catch {
    console.error(`everyinch: building ${part.name} failed`)
    process.exit(1)
  }
}
