import { chromium } from 'playwright-core'
const [,, url = 'http://127.0.0.1:3100/', out = '/tmp/shot.png', w = '1280', hgt = '800', login = 'demo-admin', locale = 'zh-CN', action = ''] = process.argv
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--use-angle=swiftshader','--enable-unsafe-swiftshader','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run'] })
const context = await browser.newContext({ viewport: { width: +w, height: +hgt }, locale })
if (login !== 'none') {
  const r = await context.request.post(new URL('/api/session', url).toString(), { data: { login, password: 'everyinch-demo' } })
  console.log('signin', r.status())
}
const page = await context.newPage()
page.on('console', (m) => console.log('console', m.type(), m.text().slice(0, 300)))
page.on('pageerror', (e) => console.log('pageerror', e.message))
page.on('requestfailed', (r) => console.log('reqfailed', r.url(), r.failure()?.errorText))
const t0 = Date.now()
await page.goto(url)
try {
  await page.waitForFunction(() => window.__everyinch?.ready === true, undefined, { timeout: 60000 })
  console.log('ready after', Date.now() - t0)
  await page.evaluate(() => window.__everyinch.idle())
  console.log('idle after', Date.now() - t0)
  if (action) { await eval(`(async () => { ${action} })()`); }
} catch (e) { console.log('wait failed', e.message) }
await page.screenshot({ path: out })
console.log('hash', await page.evaluate(() => location.hash))
await browser.close()
