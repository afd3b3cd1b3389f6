/** Which rows of a fixed-size grid are visible, so only those are rendered. */
export interface GridWindow {
  columns: number
  totalRows: number
  firstRow: number
  lastRow: number
  /** Item index range [start, end). */
  start: number
  end: number
}

export interface GridWindowInput {
  count: number
  width: number
  height: number
  scrollTop: number
  cellWidth: number
  rowHeight: number
  /** Extra rows above and below the viewport. */
  overscan?: number
}

export function gridWindow(i: GridWindowInput): GridWindow {
  const columns = Math.max(1, Math.floor(i.width / i.cellWidth))
  const totalRows = Math.ceil(i.count / columns)
  const overscan = i.overscan ?? 2
  const firstRow = Math.max(0, Math.floor(i.scrollTop / i.rowHeight) - overscan)
  const lastRow = Math.min(totalRows, Math.ceil((i.scrollTop + i.height) / i.rowHeight) + overscan)
  return { columns, totalRows, firstRow, lastRow, start: firstRow * columns, end: Math.min(i.count, lastRow * columns) }
}
