/**
 * The Content-Security-Policy of the app's own pages. The same text is in
 * src/renderer/index.html (as a meta tag); main also sends it as a header, and the browser
 * test harness serves the built renderer with it, so tests run under the app's policy.
 */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // Naive UI and ECharts set inline styles at runtime.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

/** The policy for the electron-vite dev server, which also needs its hot-reload socket. */
export function devCsp(devOrigin: string): string {
  const socket = devOrigin.replace(/^http/, 'ws')
  return APP_CSP.replace("connect-src 'self'", `connect-src 'self' ${socket}`)
}
