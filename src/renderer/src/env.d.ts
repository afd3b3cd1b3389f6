/// <reference types="vite/client" />
import type { AtelierApi } from '@shared/api'

declare global {
  interface Window {
    /** The contract preload exposes; only `api/client.ts` reads it. */
    atelier: AtelierApi
  }
}

export {}
