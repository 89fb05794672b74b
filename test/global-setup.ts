import type { TestProject } from 'vitest/node'
import { buildEmbeddedTemplate, buildServerTemplate, templateHash } from './helpers/templates.js'

declare module 'vitest' {
  export interface ProvidedContext {
    templates:
      { kind: 'embedded'; empty: string; demo: string } | { kind: 'server'; url: string; empty: string; demo: string }
  }
}

export default async function setup(project: TestProject) {
  const hash = templateHash()
  const url = process.env.DATABASE_URL
  const started = Date.now()
  // EVERYINCH_TEST_NO_DEMO=1 skips building the demo template when running only tests that don't use it
  const withDemo = process.env.EVERYINCH_TEST_NO_DEMO !== '1'
  if (url) {
    const empty = await buildServerTemplate(url, 'empty', hash)
    const demo = withDemo ? await buildServerTemplate(url, 'demo', hash) : 'missing'
    project.provide('templates', { kind: 'server', url, empty, demo })
  } else {
    const empty = await buildEmbeddedTemplate('empty', hash)
    const demo = withDemo ? await buildEmbeddedTemplate('demo', hash) : 'missing'
    project.provide('templates', { kind: 'embedded', empty, demo })
  }
  console.log(
    `test templates ready (${url ? 'server' : 'embedded'}, ${hash}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  )
}
