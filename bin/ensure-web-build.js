#!/usr/bin/env node
// npm start: build the web app when web/dist is missing or older than its sources.
import { execSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const dist = path.join(root, 'web/dist/index.html')

function newest(dir) {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs)
  }
  return latest
}

const sources = ['web/src', 'web/public', 'web/index.html', 'web/vite.config.ts']
  .map((p) => path.join(root, p))
  .filter(existsSync)
  .map((p) => (statSync(p).isDirectory() ? newest(p) : statSync(p).mtimeMs))
const stale = !existsSync(dist) || Math.max(...sources) > statSync(dist).mtimeMs
if (stale) {
  console.log('everyinch: building the web app (npm run build)…')
  execSync('npm run build --silent', { cwd: root, stdio: 'inherit' })
}
