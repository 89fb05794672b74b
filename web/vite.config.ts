// Vite config for the web app (npm run build / npm run dev). Root is web/, output web/dist, which the
// Fastify server serves at /. The dev server proxies the API to the Fastify server on :3000.
import { readFileSync, existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLogger, defineConfig, type Plugin } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
import { parseFontFaceCss, type FontFile } from './src/map/fonts.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const FONT_PACKAGE = path.resolve(here, '../node_modules/@fontsource/noto-sans-sc')
const FONT_URL_BASE = '/fonts/noto-sans-sc/'
const VIRTUAL_ID = 'virtual:map-fonts'
const VIRTUAL_CSS_ID = 'virtual:map-fonts.css'
/** A CJK font already on the machine is used as is: nothing is downloaded for the interface then. */
const LOCAL_SOURCES = [
  'Noto Sans SC',
  'NotoSansSC-Regular',
  'Noto Sans CJK SC',
  'NotoSansCJKsc-Regular',
  'Source Han Sans SC',
  'PingFang SC',
  'PingFangSC-Regular',
  'Microsoft YaHei',
]
  .map((name) => `local('${name}'),`)
  .join('')

/**
 * Serves the map's font (Noto Sans SC, regular, as unicode-range woff2 slices) from this site:
 * in dev from node_modules, in the build as files under dist/fonts/. The app imports the manifest
 * from `virtual:map-fonts` and declares the files in the style's `font-faces` (see src/map/fonts.ts);
 * `virtual:map-fonts.css` declares the same files as @font-face for the interface, so Chinese text
 * renders on machines without a CJK font too (the browser fetches only the slices a page uses).
 */
function mapFonts(): Plugin {
  let manifest: FontFile[] = []
  const fileOf = (name: string) => path.join(FONT_PACKAGE, 'files', name)
  return {
    name: 'everyinch-map-fonts',
    buildStart() {
      const css = path.join(FONT_PACKAGE, '400.css')
      if (!existsSync(css)) {
        this.warn('@fontsource/noto-sans-sc is not installed: map labels will use the browser fonts')
        manifest = []
        return
      }
      manifest = parseFontFaceCss(readFileSync(css, 'utf8'))
    },
    resolveId(id) {
      return id === VIRTUAL_ID || id === VIRTUAL_CSS_ID ? `\0${id}` : null
    },
    load(id) {
      if (id === `\0${VIRTUAL_ID}`) {
        return `export const fontBase = ${JSON.stringify(FONT_URL_BASE)}\nexport const fontFiles = ${JSON.stringify(manifest)}\n`
      }
      if (id === `\0${VIRTUAL_CSS_ID}`) {
        return manifest
          .map(
            (f) =>
              `@font-face{font-family:'Noto Sans SC';font-style:normal;font-weight:400;font-display:swap;src:${LOCAL_SOURCES}url(${FONT_URL_BASE}${f.file}) format('woff2');${f.ranges.length ? `unicode-range:${f.ranges.join(',')};` : ''}}`,
          )
          .join('\n')
      }
      return null
    },
    configureServer(server) {
      server.middlewares.use(FONT_URL_BASE, (req, res, next) => {
        const name = decodeURIComponent((req.url ?? '').split('?')[0]!.replace(/^\//, ''))
        if (!/^[\w.-]+\.woff2$/.test(name) || !existsSync(fileOf(name))) return next()
        res.setHeader('content-type', 'font/woff2')
        res.end(readFileSync(fileOf(name)))
      })
    },
    generateBundle() {
      for (const f of manifest) {
        this.emitFile({
          type: 'asset',
          fileName: `${FONT_URL_BASE.slice(1)}${f.file}`,
          source: readFileSync(fileOf(f.file)),
        })
      }
      this.emitFile({
        type: 'asset',
        fileName: `${FONT_URL_BASE.slice(1)}LICENSE.txt`,
        source: readFileSync(path.join(FONT_PACKAGE, 'LICENSE')),
      })
    },
  }
}

/**
 * The installable, offline-capable app: /manifest.webmanifest and /sw.js (Workbox, generated at build).
 * The service worker precaches the app shell (HTML, JS, CSS, icons) so the app opens without a signal;
 * the fonts are kept as they are first used; API reads and tiles go to the network first and fall back
 * to the last answer kept, so a phone that loaded its cells and objects online still shows them offline.
 * Writes are never cached here: the app's outbox (src/offline/) keeps them until they are sent.
 */
function installableApp() {
  // Workbox writes these patterns into sw.js as source text, so they are literals, never closures. A
  // RegExp is matched against the whole URL (and only GET requests are routed).
  const path = (prefix: string) => new RegExp(`^https?://[^/]+${prefix.replace(/\//g, '\\/')}`)
  return VitePWA({
    registerType: 'autoUpdate',
    // src/offline/service-worker.ts registers it, once the map has drawn (not competing with start-up)
    injectRegister: false,
    filename: 'sw.js',
    manifestFilename: 'manifest.webmanifest',
    manifest: {
      name: '寸土有责 everyinch',
      short_name: '寸土有责',
      description: 'Grid-based accountability: every inch of land has someone responsible',
      lang: 'zh-CN',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      background_color: '#ffffff',
      theme_color: '#2f7d3b',
      icons: [
        { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: '/icons/icon-512-maskable.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      ],
    },
    workbox: {
      globPatterns: ['**/*.{js,css,html,svg,png,webmanifest}'],
      // MapLibre's chunk is over Workbox's default 2 MiB limit
      maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
      navigateFallback: '/index.html',
      navigateFallbackDenylist: [/^\/api\//, /^\/tiles\//, /^\/docs/, /^\/ogc/, /^\/fonts\//],
      cleanupOutdatedCaches: true,
      clientsClaim: true,
      skipWaiting: true,
      runtimeCaching: [
        {
          urlPattern: path(FONT_URL_BASE),
          handler: 'CacheFirst',
          options: { cacheName: 'everyinch-fonts', expiration: { maxEntries: 200 } },
        },
        {
          urlPattern: path('/api/'),
          handler: 'NetworkFirst',
          options: { cacheName: 'everyinch-api', expiration: { maxEntries: 400 } },
        },
        {
          urlPattern: path('/tiles/'),
          handler: 'NetworkFirst',
          options: { cacheName: 'everyinch-tiles', expiration: { maxEntries: 3000 } },
        },
      ],
    },
  })
}

// The font files are emitted by the plugin above, so Vite cannot resolve their URLs in the CSS at build
// time; it would print one warning per file. Those (and only those) are expected.
const logger = createLogger()
const expected = (message: string) =>
  message.includes(FONT_URL_BASE) && message.includes("didn't resolve at build time")
for (const level of ['warn', 'warnOnce', 'info'] as const) {
  const original = logger[level].bind(logger)
  logger[level] = (message, options) => (expected(message) ? undefined : original(message, options))
}

export default defineConfig({
  customLogger: logger,
  root: here,
  base: '/',
  publicDir: path.join(here, 'public'),
  plugins: [mapFonts(), installableApp()],
  build: {
    outDir: path.join(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': 'http://localhost:3000',
      '/docs': 'http://localhost:3000',
    },
  },
})
