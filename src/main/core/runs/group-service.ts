/** Seed repeats and sweeps: queue many runs in one transaction and record them as a group or sweep. */
import type { EventMap } from '@shared/api'
import type { GroupDetail, GroupSummary, SweepDetail, SweepSummary } from '@shared/group'
import { PRESETS } from '@shared/presets'
import { builtinRef, DEFAULT_DATASET } from '@shared/dataset'
import type { Hparams } from '@shared/hparams'
import type { SweepSpec } from '@shared/sweep'
import type { RunStore } from '@main/core/store'
import { conflict, notFound } from '@main/core/errors'
import { defaultRunName, type RunService } from './run-service'
import { toSummary } from './summary'
import { configLabel, sweepConfigs, sweepHparams } from './sweep-plan'

export interface GroupServiceOptions {
  store: RunStore
  runs: RunService
  appVersion: string
  emit: <E extends keyof EventMap>(event: E, payload: EventMap[E]) => void
}

/** Seeds of `count` repeats: base, base + 1, …; refused when they would pass the largest seed. */
export function repeatSeeds(base: number, count: number): number[] {
  const last = base + count - 1
  if (last > 2 ** 31 - 1) {
    throw conflict(
      `Seeds ${base} to ${last} pass the largest seed (2147483647); choose a base seed of at most ${2 ** 31 - count}. Nothing was queued.`
    )
  }
  return Array.from({ length: count }, (_, i) => base + i)
}

export function createGroupService(options: GroupServiceOptions) {
  const { store, runs, emit } = options

  /** Inserts one run per seed (not yet queued) and returns their ids; call inside a transaction. */
  function insertRepeats(hparams: Hparams, seeds: number[], name: string): number[] {
    return seeds.map(
      (seed) => store.runs.insert({ name: `${name} · seed ${seed}`, hparams: { ...hparams, seed }, appVersion: options.appVersion }).id
    )
  }

  /** Announces and queues runs that were inserted together, in id order. */
  function queueAll(ids: number[]): void {
    // Read after the transaction, so each summary carries its group and sweep.
    for (const run of store.runs.getMany(ids)) emit('runs.updated', toSummary(run))
    ids.forEach((id) => runs.queue.enqueue(id))
  }

  /**
   * A group's members must share one test set. The new seeds of a repeated run train on the dataset's
   * files as they are now: when those are not the files the run trained on (its recorded checksum
   * differs from the dataset's content hash), the run cannot be one of them.
   */
  function refuseOtherFiles(run: { id: number; dataset: { name: string; title: string }; datasetChecksum: string | null }): void {
    const now = store.datasets.ref(run.dataset.name)?.contentHash ?? null
    if (run.datasetChecksum === null || now === null || run.datasetChecksum === now) return
    throw conflict(
      `Run ${run.id} trained on other files of ${run.dataset.title} than are there now (dataset checksum ${run.datasetChecksum.slice(0, 12)}…, ` +
        `now ${now.slice(0, 12)}…), so new seeds would be tested on other images and could not form one group with it. ` +
        'Nothing was queued; start new repeats of its settings from New run instead.'
    )
  }

  function group(id: number): GroupSummary {
    const g = store.groups.get(id)
    if (!g) throw notFound(`Group ${id}`)
    return g
  }

  function groupDetail(g: GroupSummary): GroupDetail {
    return { ...g, members: store.runs.getMany(g.memberIds) }
  }

  function sweep(id: number): SweepDetail {
    const s = store.sweeps.get(id)
    if (!s) throw notFound(`Sweep ${id}`)
    return s
  }

  return {
    /** Queues `repeats` runs of the same hyperparameters with seeds base, base + 1, …, recorded as one group. */
    startRepeats(hparams: Hparams, repeats: number, name?: string): GroupSummary {
      runs.checkDataset(hparams)
      const seeds = repeatSeeds(hparams.seed, repeats)
      const base = name ?? defaultRunName(hparams)
      const { groupId, ids } = store.db.transaction(() => {
        const groupId = store.groups.insert({ name: `${base} × ${repeats} seeds`, preset: hparams.preset })
        const ids = insertRepeats(hparams, seeds, base)
        store.groups.assign(groupId, ids)
        return { groupId, ids }
      })()
      queueAll(ids)
      return group(groupId)
    },
    /**
     * Repeats an existing run over `repeats` seeds in all: the run itself keeps its seed and result,
     * `repeats − 1` new runs take the next seeds, and all of them form one new group.
     */
    repeatRun(id: number, repeats: number): GroupSummary {
      const run = store.runs.get(id)
      if (!run) throw notFound(`Run ${id}`)
      if (run.groupId !== null) {
        const name = store.groups.get(run.groupId)?.name ?? `group ${run.groupId}`
        throw conflict(
          `Run ${id} is already one of the seeds of "${name}", so it cannot start another group. Nothing was queued; open the group in Experiments, or start new repeats from New run.`
        )
      }
      if (run.status === 'failed') {
        throw conflict(`Run ${id} failed, so it cannot be the first seed of a group. Nothing was queued; re-run it first, then repeat it.`)
      }
      runs.checkDataset(run.hparams)
      refuseOtherFiles(run)
      const seeds = repeatSeeds(run.seed, repeats).slice(1)
      const { groupId, ids } = store.db.transaction(() => {
        const groupId = store.groups.insert({ name: `${run.name} × ${repeats} seeds`, preset: run.preset })
        const ids = insertRepeats(run.hparams, seeds, run.name)
        store.groups.assign(groupId, [id, ...ids])
        return { groupId, ids }
      })()
      // The original row gains its group; the new ones are announced and queued.
      emit('runs.updated', toSummary(store.runs.get(id)!))
      queueAll(ids)
      return group(groupId)
    },
    /**
     * Queues every run of a sweep, recorded as one sweep; each configuration's seeds form a group when
     * there are two or more. All of them train on the spec's one dataset (see `sweepHparams`).
     */
    startSweep(spec: SweepSpec, name?: string): SweepSummary {
      const configs = sweepConfigs(spec)
      const seeds = repeatSeeds(spec.seeds.base, spec.seeds.count)
      // Every run of a sweep shares its dataset and subset: one check covers them all.
      if (configs[0]) runs.checkDataset(sweepHparams(spec, configs[0], seeds[0]!))
      // Named by its dataset unless it is the default one (as every sweep was before datasets existed).
      const on = spec.dataset === DEFAULT_DATASET ? '' : ` on ${builtinRef(spec.dataset)?.title ?? spec.dataset}`
      const sweepName = name ?? `${PRESETS[spec.preset].title} ${spec.mode} sweep${on} · ${configs.length * seeds.length} runs`
      const { sweepId, ids } = store.db.transaction(() => {
        const sweepId = store.sweeps.insert({ name: sweepName, spec })
        const ids: number[] = []
        for (const config of configs) {
          const label = `${PRESETS[spec.preset].title} · ${configLabel(config)}`
          const members = insertRepeats(sweepHparams(spec, config, seeds[0]!), seeds, label)
          if (members.length > 1) {
            const groupId = store.groups.insert({ name: `${label} × ${seeds.length} seeds`, preset: spec.preset, sweepId })
            store.groups.assign(groupId, members)
          }
          ids.push(...members)
        }
        store.sweeps.assign(sweepId, ids)
        return { sweepId, ids }
      })()
      queueAll(ids)
      const { runs: _points, ...summary } = sweep(sweepId)
      return summary
    },
    listGroups: (): GroupSummary[] => store.groups.list(),
    getGroup: (id: number): GroupDetail => groupDetail(group(id)),
    /** Several groups with their members, in the order asked for; an unknown id is an error naming it. */
    getGroups(ids: number[]): GroupDetail[] {
      const groups = store.groups.getMany(ids)
      const missing = ids.filter((id) => !groups.some((g) => g.id === id))
      if (missing.length) throw notFound(`Group ${missing.join(', ')}`)
      // One read of every member, whatever the number of groups.
      const members = new Map(store.runs.getMany(groups.flatMap((g) => g.memberIds)).map((r) => [r.id, r]))
      return groups.map((g) => ({ ...g, members: g.memberIds.flatMap((id) => members.get(id) ?? []) }))
    },
    listSweeps: (): SweepSummary[] => store.sweeps.list(),
    getSweep: sweep,
    /** Forgets groups and sweeps whose runs were all deleted. */
    prune(): void {
      store.groups.pruneEmpty()
      store.sweeps.pruneEmpty()
    }
  }
}

export type GroupService = ReturnType<typeof createGroupService>
