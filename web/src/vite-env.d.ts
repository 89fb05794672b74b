/// <reference types="vite/client" />

declare module 'virtual:map-fonts' {
  import type { FontFile } from './map/fonts.js'
  /** URL folder the font files are served from, e.g. "/fonts/noto-sans-sc/" */
  export const fontBase: string
  export const fontFiles: FontFile[]
}

declare module 'virtual:map-fonts.css'
