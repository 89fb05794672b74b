#!/usr/bin/env node
// `npx everyinch …`, `npm run cli -- …`: the operator CLI, compiled JavaScript (dist/server), built first
// when missing or older than its sources. It runs in this process, so this pid is the one holding the
// data-folder lock and signals reach the command directly.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const root = path.resolve(import.meta.dirname, '..')
const build = spawnSync(process.execPath, [path.join(root, 'bin/ensure-build.js'), 'server'], {
  stdio: ['ignore', 2, 2],
})
if (build.status !== 0) process.exit(build.status ?? 1)
await import(pathToFileURL(path.join(root, 'dist/server/cli/index.js')).href)
