/** What the window shows when its own page cannot load, instead of staying invisible. */

/** Why the page did not load, as Electron's `did-fail-load` reports it. */
export interface LoadFailure {
  errorCode: number
  errorDescription: string
  url: string
}

/** Chromium's ERR_ABORTED: a load replaced by another, not a failure. */
export const ERR_ABORTED = -3

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c)

/** A self-contained page (a data: URL, allowed by the window's request filter) that says what failed and what to do. */
export function loadFailurePage(failure: LoadFailure): string {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Atelier could not open</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:48px;max-width:720px;color:#222}
@media (prefers-color-scheme:dark){body{background:#18181c;color:#ddd}}code{font-size:13px}</style></head>
<body><h1>Atelier’s window could not load</h1>
<p>The page <code>${escapeHtml(failure.url)}</code> failed with ${escapeHtml(failure.errorDescription || 'an unknown error')}
(code ${failure.errorCode}).</p>
<p>Your runs and their database are untouched. Quit and start Atelier again; if this keeps happening, the
installation is damaged: reinstall it, or run the workbench in a browser with <code>npm run serve</code>
from a source checkout.</p></body></html>`
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`
}
