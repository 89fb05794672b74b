// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core, with software WebGL so
// MapLibre renders without a GPU. No browser is ever downloaded.
import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'
import {
  chromium,
  request,
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  type Locator,
  type Page,
} from 'playwright-core'
import { ROOT } from './templates.js'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const SCREENSHOTS = path.join(ROOT, 'test-artifacts/screenshots')

/** EVERYINCH_E2E=skip skips the browser tests (loudly); otherwise a missing Chromium fails them. */
export const skipE2e = process.env.EVERYINCH_E2E === 'skip'
if (skipE2e) console.warn('\n*** EVERYINCH_E2E=skip: the browser (e2e) tests are SKIPPED ***\n')

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the e2e tests need Chromium at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (or set EVERYINCH_E2E=skip to skip them)`,
    )
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

/**
 * Reloads a page whose context is offline, and tells the new document so. Chromium (150 here) keeps the
 * network cut after a reload but reports `navigator.onLine === true` in the new document, and Playwright
 * does not set the emulation again, so the app would believe it is online (a phone without a signal
 * reports offline). The emulation is set again on a DevTools session of the page, which keeps it only
 * while attached: `online()` ends it together with the context's.
 */
export async function reloadOffline(page: Page): Promise<{ online(): Promise<void> }> {
  await page.reload()
  const cdp = await page.context().newCDPSession(page)
  const emulate = (offline: boolean) =>
    cdp.send('Network.emulateNetworkConditions', { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
  await emulate(true)
  await page.waitForFunction(() => !navigator.onLine)
  return {
    async online() {
      await page.context().setOffline(false)
      await emulate(false)
      await cdp.detach()
    },
  }
}

export interface PageOptions {
  locale?: string
  viewport?: { width: number; height: number }
  /** sign in through the API before opening the page */
  login?: string
  password?: string
  isMobile?: boolean
  /** a position the page may read (the geolocation permission is granted); move it with context.setGeolocation */
  geolocation?: { longitude: number; latitude: number; accuracy?: number }
}

/** A fresh context (own cookies) and page; console errors and failed requests are collected. */
export async function openPage(
  browser: Browser,
  baseUrl: string,
  o: PageOptions = {},
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    locale: o.locale ?? 'zh-CN',
    viewport: o.viewport ?? { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    isMobile: o.isMobile ?? false,
    hasTouch: o.isMobile ?? false,
    ...(o.geolocation ? { geolocation: o.geolocation, permissions: ['geolocation'] } : {}),
  })
  if (o.login) {
    const res = await context.request.post('/api/session', {
      data: { login: o.login, password: o.password ?? 'everyinch-demo' },
    })
    if (!res.ok()) throw new Error(`sign-in as ${o.login} failed: ${res.status()} ${await res.text()}`)
  }
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('console', (m) => {
    // the app asks GET /api/session to learn whether anyone is signed in: a 401 there is an answer
    if (m.type() === 'error' && !(m.text().includes('status of 401') && m.location().url.endsWith('/api/session')))
      problems.push(`console: ${m.text()}`)
  })
  page.on('requestfailed', (r) => {
    if (r.failure()?.errorText !== 'net::ERR_ABORTED')
      problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`)
  })
  return { context, page, problems }
}

/** Waits until the app has its data on the map and the map has rendered it. */
export async function waitForMap(page: Page, timeout = 60_000) {
  await page.waitForFunction(() => window.__everyinch?.ready === true, undefined, { timeout })
  await idle(page)
}

export async function idle(page: Page) {
  await page.evaluate(() => window.__everyinch!.idle())
}

/** Saves test-artifacts/screenshots/<name>.png: the page, or only `element` when given. */
export async function screenshot(page: Page, name: string, element?: Locator) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const file = path.join(SCREENSHOTS, `${name}.png`)
  if (element) await element.screenshot({ path: file })
  else await page.screenshot({ path: file })
  return file
}

export interface ApiAs {
  get<T>(url: string): Promise<T>
  /** a POST that must succeed (2xx); returns the JSON body */
  post<T>(url: string, data: unknown): Promise<T>
  /** a PUT that must succeed (2xx); returns the JSON body */
  put<T>(url: string, data: unknown): Promise<T>
  /** a POST whose status the caller checks */
  postRaw(url: string, data: unknown): Promise<{ status: number; body: unknown }>
  request: APIRequestContext
  dispose(): Promise<void>
}

/** Signs in through the API (sessions are judged by the server's clock) and calls it as that user. */
export async function apiAs(baseUrl: string, login: string, password = 'everyinch-demo'): Promise<ApiAs> {
  const ctx = await request.newContext({ baseURL: baseUrl })
  const res = await ctx.post('/api/session', { data: { login, password } })
  if (!res.ok()) throw new Error(`sign-in as ${login} failed: ${res.status()} ${await res.text()}`)
  const { csrfToken } = (await res.json()) as { csrfToken: string }
  const headers = { 'x-csrf-token': csrfToken }
  const postRaw = async (url: string, data: unknown) => {
    const r = await ctx.post(url, { data: data as object, headers })
    return { status: r.status(), body: (await r.json().catch(() => null)) as unknown }
  }
  return {
    request: ctx,
    get: async <T>(url: string) => {
      const r = await ctx.get(url)
      if (!r.ok()) throw new Error(`GET ${url} as ${login}: ${r.status()} ${await r.text()}`)
      return (await r.json()) as T
    },
    post: async <T>(url: string, data: unknown) => {
      const r = await postRaw(url, data)
      if (r.status >= 300) throw new Error(`POST ${url} as ${login}: ${r.status} ${JSON.stringify(r.body)}`)
      return r.body as T
    },
    put: async <T>(url: string, data: unknown) => {
      const r = await ctx.put(url, { data: data as object, headers })
      if (!r.ok()) throw new Error(`PUT ${url} as ${login}: ${r.status()} ${await r.text()}`)
      return (await r.json()) as T
    },
    postRaw,
    dispose: () => ctx.dispose(),
  }
}
