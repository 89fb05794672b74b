// Reads a Vitest JSON report and fails when a test failed, or when any browser (e2e) test — or any
// test in a file that must always run in CI — was skipped. CI must never pass with the browser tests
// quietly off.
import { readFileSync } from 'node:fs'
import { readdirSync } from 'node:fs'
import path from 'node:path'

const [reportFile] = process.argv.slice(2)
const report = JSON.parse(readFileSync(reportFile, 'utf8'))
const root = path.resolve(import.meta.dirname, '..')
const e2eFiles = readdirSync(path.join(root, 'test/e2e')).filter((f) => f.endsWith('.test.ts'))
const problems = []
for (const file of e2eFiles) {
  const result = report.testResults.find((r) => r.name.endsWith(`test/e2e/${file}`))
  if (!result) {
    problems.push(`test/e2e/${file} did not run`)
    continue
  }
  const ran = result.assertionResults.filter((a) => a.status === 'passed').length
  const skipped = result.assertionResults.filter((a) => a.status !== 'passed' && a.status !== 'failed')
  if (ran === 0) problems.push(`test/e2e/${file}: no test ran`)
  for (const a of skipped) problems.push(`test/e2e/${file}: "${a.fullName}" was ${a.status}`)
}
if (report.numFailedTests > 0) problems.push(`${report.numFailedTests} test(s) failed`)
if (problems.length) {
  console.error(`CI report check failed:\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log(
  `CI report check: ${report.numPassedTests} passed, ${report.numPendingTests} skipped (none of them browser tests), ${e2eFiles.length} e2e files ran`,
)
