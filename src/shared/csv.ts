/** RFC 4180 CSV, written once for the core's exports and the renderer's chart tables: cells with commas, quotes or line breaks are quoted; null is an empty cell. */
export type CsvCell = string | number | boolean | null | undefined

export function csvCell(v: CsvCell): string {
  if (v === null || v === undefined) return ''
  const s = typeof v === 'number' && !Number.isFinite(v) ? '' : String(v)
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => row.map(csvCell).join(',')).join('\n') + '\n'
}
