/** Group names and sweeps; a group's figures are computed live from the run list (see lib/groupRows.ts). */
import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { GroupSummary, SweepSummary } from '@shared/group'
import type { Hparams } from '@shared/hparams'
import type { RunSummary } from '@shared/run'
import type { SweepSpec } from '@shared/sweep'
import type { RunPlace } from '@shared/team'
import { call, subscribe } from '@renderer/api/client'
import { useRunsStore } from './runs'

export const useGroupsStore = defineStore('groups', () => {
  const byId = shallowRef(new Map<number, GroupSummary>())
  const sweeps = shallowRef<SweepSummary[]>([])
  const loaded = ref(false)

  async function load(): Promise<void> {
    const [groups, sweepList] = await Promise.all([call('groups.list', {}), call('sweeps.list', {})])
    byId.value = new Map(groups.map((g) => [g.id, g]))
    sweeps.value = sweepList
    loaded.value = true
  }

  /** A run of a group or sweep this window has not seen yet (queued by the CLI, say): fetch the names. */
  function applyUpdated(run: RunSummary): void {
    const unknownGroup = run.groupId !== null && !byId.value.has(run.groupId)
    const unknownSweep = run.sweepId !== null && !sweeps.value.some((s) => s.id === run.sweepId)
    if (loaded.value && (unknownGroup || unknownSweep)) void load().catch(() => undefined)
  }

  function connect(): () => void {
    return subscribe('runs.updated', applyUpdated)
  }

  /** Queues N runs of the same hyperparameters with seeds base, base + 1, …, recorded as one group; here, or for a team store's workers. */
  async function startRepeats(hparams: Hparams, repeats: number, name?: string, where: RunPlace = 'here'): Promise<GroupSummary> {
    const group = await call('runs.startRepeats', {
      hparams,
      repeats,
      ...(name ? { name } : {}),
      ...(where === 'workers' ? { where } : {})
    })
    byId.value = new Map(byId.value).set(group.id, group)
    // The member rows arrive by event too; loading them now keeps the table from flickering.
    await useRunsStore().load()
    return group
  }

  /** Repeats run `id` over N seeds in all: the run itself plus N − 1 new seeds, as one group. */
  async function repeatRun(id: number, repeats: number): Promise<GroupSummary> {
    const group = await call('runs.repeat', { id, repeats })
    byId.value = new Map(byId.value).set(group.id, group)
    await useRunsStore().load()
    return group
  }

  /** Queues a sweep's runs here, or for a team store's workers. */
  async function startSweep(spec: SweepSpec, name?: string, where: RunPlace = 'here'): Promise<SweepSummary> {
    const sweep = await call('sweeps.start', { spec, ...(name ? { name } : {}), ...(where === 'workers' ? { where } : {}) })
    await Promise.all([load(), useRunsStore().load()])
    return sweep
  }

  return { byId, sweeps, loaded, load, connect, applyUpdated, startRepeats, repeatRun, startSweep }
})
