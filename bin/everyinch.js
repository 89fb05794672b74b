#!/usr/bin/env node
// `npx everyinch …`: runs the TypeScript CLI through tsx.
import { spawnSync } from 'node:child_process'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const tsx = path.join(root, 'node_modules/.bin/tsx')
const result = spawnSync(tsx, [path.join(root, 'server/src/cli/index.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
})
process.exit(result.status ?? 1)
