/** Folds the run list into table rows: a group of seed repeats becomes one row that expands to its members. */
import type { RunSummary } from '@shared/run'
import { spreadOf, type Spread } from '@shared/spread'

/** A table row standing for a whole group. */
export interface GroupRow {
  kind: 'group'
  /** Row key, `g<id>`, distinct from run ids. */
  key: string
  id: number
  name: string
  preset: RunSummary['preset']
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
}

/**
 * Each group appears once, where its first visible member would be, with its visible members as
 * children; runs outside groups stay plain rows. Group figures cover all members, so a filter
 * changes which rows show, never a group's mean.
 */
export function withGroupRows({ visible, all, names }: GroupRowsOptions): TableRow[] {
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
  return rows
}
