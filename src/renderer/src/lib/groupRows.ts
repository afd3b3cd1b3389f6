/** Folds the run list into table rows: a group of seed repeats becomes one row that expands to its members. */
import type { RunSummary } from '@shared/run'
import { spreadOf, type Spread } from '@shared/spread'
import { compareSortValues, sortValue, type RunSort } from './runQuery'

/** A table row standing for a whole group. */
export interface GroupRow {
  kind: 'group'
  /** Row key, `g<id>`, distinct from run ids. */
  key: string
  id: number
  name: string
  preset: RunSummary['preset']
  /** The custom architecture's name (all members train the same one); null for a preset. */
  architectureName: string | null
  createdAt: string
  /** Every member, whether or not the filter shows it. */
  members: RunSummary[]
  /** The members the filter shows, in the table's order: the expanded rows. */
  children: RunSummary[]
  /** Over every member that finished (sample std, n − 1). */
  testAccuracy: Spread | null
  bestValAccuracy: Spread | null
}

export type TableRow = RunSummary | GroupRow

export const isGroupRow = (row: TableRow): row is GroupRow => (row as GroupRow).kind === 'group'

/** Options of {@link withGroupRows}. */
export interface GroupRowsOptions {
  /** The filtered, sorted runs. */
  visible: readonly RunSummary[]
  /** Every run, for the group figures. */
  all: readonly RunSummary[]
  /** Group names by id; a group not (yet) known is named by its id. */
  names: ReadonlyMap<number, string>
  /** The table's sort: group rows are placed by the figure they show (the mean), not by their best member. */
  sort?: RunSort
}

/**
 * Each group appears once, where its first visible member would be, with its visible members as
 * children; runs outside groups stay plain rows. Group figures cover all members, so a filter
 * changes which rows show, never a group's mean.
 */
export function withGroupRows({ visible, all, names, sort }: GroupRowsOptions): TableRow[] {
  const membersOf = new Map<number, RunSummary[]>()
  for (const run of all) if (run.groupId !== null) membersOf.set(run.groupId, [...(membersOf.get(run.groupId) ?? []), run])
  const rows: TableRow[] = []
  const emitted = new Map<number, GroupRow>()
  for (const run of visible) {
    if (run.groupId === null) {
      rows.push(run)
      continue
    }
    let row = emitted.get(run.groupId)
    if (!row) {
      const members = membersOf.get(run.groupId) ?? [run]
      row = {
        kind: 'group',
        key: `g${run.groupId}`,
        id: run.groupId,
        name: names.get(run.groupId) ?? `Group ${run.groupId}`,
        preset: run.preset,
        architectureName: run.architectureName,
        createdAt: members.reduce((a, m) => (m.createdAt < a ? m.createdAt : a), run.createdAt),
        members,
        children: [],
        testAccuracy: spreadOf(members.map((m) => m.testAccuracy)),
        bestValAccuracy: spreadOf(members.map((m) => m.bestValAccuracy))
      }
      emitted.set(run.groupId, row)
      rows.push(row)
    }
    row.children.push(run)
  }
  if (!sort) return rows
  // Stable: rows that tie keep the order of the sorted run list.
  return rows
    .map((row, i) => ({ row, i, value: rowSortValue(row, sort) }))
    .sort((a, b) => compareSortValues(a.value, b.value, sort.order) || a.i - b.i)
    .map((x) => x.row)
}

/** What a row shows in the sorted column: a group's mean, name, total epochs or first creation. */
function rowSortValue(row: TableRow, sort: RunSort): string | number | null {
  if (!isGroupRow(row)) return sortValue(row, sort.key)
  switch (sort.key) {
    case 'testAccuracy':
      return row.testAccuracy?.mean ?? null
    case 'bestValAccuracy':
      return row.bestValAccuracy?.mean ?? null
    case 'name':
      return row.name
    case 'createdAt':
      return Date.parse(row.createdAt)
    case 'epochsDone':
      return row.members.reduce((a, m) => a + m.epochsDone, 0)
    default:
      // Columns a group row leaves empty (duration, backend) or summarises in words: where its first visible member sorts.
      return sortValue(row.children[0]!, sort.key)
  }
}
