/** Turning chart images and plotted data into file contents for `export.file`. */
import { fileStem } from '@shared/file-names'
import { toCsv as sharedToCsv } from '@shared/csv'

/** Decodes a `data:image/png;base64,…` URL into bytes. */
export function dataUrlToBytes(dataUrl: string): Uint8Array {
  const comma = dataUrl.indexOf(',')
  if (comma < 0 || !dataUrl.slice(0, comma).includes(';base64')) throw new Error('Not a base64 data URL')
  const binary = atob(dataUrl.slice(comma + 1))
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

/** The data behind a chart as a table. */
export interface ChartTable {
  header: string[]
  rows: Array<Array<string | number | null>>
}

/** The table as CSV, encoded as the core's exports are. */
export function toCsv(table: ChartTable): string {
  return sharedToCsv(table.header, table.rows)
}

/** A file-name-safe slug for suggested names, in the one export style of `@shared/file-names`. */
export function slug(text: string): string {
  return fileStem(text) || 'chart'
}
