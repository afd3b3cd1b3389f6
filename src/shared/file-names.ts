/**
 * One style for every exported file's name, whoever makes it (a chart in the window, a run or a
 * report in the core): lowercase words and numbers joined by hyphens, then the extension —
 * `dense-3-loss.png`, `dense-3-predictions.csv`, `atelier-runs-2026-01-31.csv`.
 */

/** `Dense #3 — loss` → `dense-3-loss`; empty when nothing is left. */
export function fileStem(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

/** The parts of a name, each made a stem and joined by hyphens, with its extension: `exportFileName(['Dense 3', 'loss'], 'png')`. */
export function exportFileName(parts: ReadonlyArray<string | number>, extension: string): string {
  const stem = parts
    .map((p) => fileStem(String(p)))
    .filter(Boolean)
    .join('-')
    .slice(0, 120)
    .replace(/-+$/, '')
  return `${stem || 'atelier'}.${fileStem(extension) || 'txt'}`
}

/** A suggested name brought to the same style, keeping its extension (`Run 3 tfjs.zip` → `run-3-tfjs.zip`). */
export function normaliseFileName(name: string): string {
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 ? name.slice(dot + 1) : ''
  return /^[a-z0-9]{1,5}$/i.test(ext) ? exportFileName([name.slice(0, dot)], ext) : exportFileName([name], 'txt')
}
