import type { AtelierApi } from '@shared/api'

declare global {
  interface Window {
    /** The Atelier API exposed by the preload script (or the browser test harness). */
    atelier: AtelierApi
  }
}

export {}
