/**
 * Keyboard moves in the experiments table: ↓/j and ↑/k move focus to the same control in the
 * next or previous row (name link, checkbox, actions), so a long list needs no Tab through every
 * control of every row; the column headers sort with Enter or Space.
 */

const ROW = 'tr[data-testid="run-row"], tr[data-testid="group-row"]'
const FOCUSABLE = 'a[href], button:not([tabindex="-1"]), [role="checkbox"], [tabindex="0"]'

function focusables(row: Element): HTMLElement[] {
  return [...row.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.hasAttribute('disabled'))
}

/** Handles a keydown inside the table; returns true when focus moved. */
export function moveRowFocus(event: KeyboardEvent, table: HTMLElement): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) return false
  const step = event.key === 'ArrowDown' || event.key === 'j' ? 1 : event.key === 'ArrowUp' || event.key === 'k' ? -1 : 0
  if (!step) return false
  const target = event.target as HTMLElement | null
  if (!target || target.tagName === 'INPUT' || target.tagName === 'TEXTAREA') return false
  const rows = [...table.querySelectorAll(ROW)]
  const row = target.closest(ROW)
  const at = row ? rows.indexOf(row) : -1
  const next = rows[at === -1 ? 0 : at + step]
  if (!next) return false
  const column = row
    ? Math.max(
        0,
        focusables(row).findIndex((el) => el === target || el.contains(target))
      )
    : 0
  const mine = focusables(next)
  // The name link when the same control is missing (a group row has no Open button).
  const goal = mine[column] ?? next.querySelector<HTMLElement>('a[href], [data-testid="group-name"]') ?? mine[0]
  if (!goal) return false
  event.preventDefault()
  goal.focus()
  return true
}

/** Enter or Space on a focused column title sorts by it, as a click on the header does. */
export function sortFromKey(event: KeyboardEvent): void {
  if (event.key !== 'Enter' && event.key !== ' ') return
  event.preventDefault()
  ;(event.currentTarget as HTMLElement).closest('th')?.click()
}
