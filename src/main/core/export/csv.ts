/** The one CSV encoder lives in the shared code, so the renderer's chart tables are encoded the same way. */
export { csvCell, toCsv, type CsvCell } from '@shared/csv'
