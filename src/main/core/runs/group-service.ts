/** Seed repeats and sweeps: queue many runs in one transaction and record them as a group or sweep. */
import type { EventMap } from '@shared/api'
import type { GroupDetail, GroupSummary, SweepDetail, SweepSummary } from '@shared/group'
import { builtinRef, DEFAULT_DATASET } from '@shared/dataset'
import type { Hparams } from '@shared/hparams'
import type { RunPlace } from '@shared/team'
import { sweepModels, type SweepSpec } from '@shared/sweep'
import { sweepConfigOf } from '@shared/sweep-config'
import { modelLabel, modelTitle } from '@shared/run-architecture'
import type { RunStore, StoreRepos } from '@main/core/store'
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
  async function insertRepeats(tx: StoreRepos, hparams: Hparams, seeds: number[], name: string): Promise<number[]> {
    const ids: number[] = []
    for (const seed of seeds) {
      ids.push((await tx.runs.insert({ name: `${name} · seed ${seed}`, hparams: { ...hparams, seed }, appVersion: options.appVersion })).id)
    }
    return ids
  }

  /** Where new runs train: here (this process's queue), or on the team store's workers. */
  type Where = RunPlace

  /** The team queue when the runs go to workers (a clear error before anything is recorded when there is none). */
  const teamFor = (where: Where) => (where === 'workers' ? runs.team() : Promise.resolve(null))

  /** Announces and queues runs that were inserted together, in id order. */
  async function queueAll(ids: number[], team: Awaited<ReturnType<typeof teamFor>>): Promise<void> {
    // Read after the transaction, so each summary carries its group and sweep.
    for (const run of await store.runs.getMany(ids)) emit('runs.updated', toSummary(run))
    if (team) {
      for (const id of ids) await team.enqueue(id)
      return
    }
    // All queued before any starts, as one batch: each start then knows how many share the cores.
    await Promise.all(ids.map((id) => runs.queue.enqueue(id)))
  }

  /**
   * A group's members must share one test set. The new seeds of a repeated run train on the dataset's
   * files as they are now: when those are not the files the run trained on (its recorded checksum
   * differs from the dataset's content hash), the run cannot be one of them.
   */
  async function refuseOtherFiles(run: {
    id: number
    dataset: { name: string; title: string }
    datasetChecksum: string | null
  }): Promise<void> {
    const now = (await store.datasets.ref(run.dataset.name))?.contentHash ?? null
    if (run.datasetChecksum === null || now === null || run.datasetChecksum === now) return
    throw conflict(
      `Run ${run.id} trained on other files of ${run.dataset.title} than are there now (dataset checksum ${run.datasetChecksum.slice(0, 12)}…, ` +
        `now ${now.slice(0, 12)}…), so new seeds would be tested on other images and could not form one group with it. ` +
        'Nothing was queued; start new repeats of its settings from New run instead.'
    )
  }

  /**
   * Every run of a sweep shares its dataset and subset, but the model and the augmentation may vary:
   * each distinct pair is checked against the dataset as `train` checks one run (a custom architecture
   * that does not fit its images, a shift too large for them), before anything is recorded.
   */
  async function checkSweep(planned: readonly Hparams[]): Promise<void> {
    const seen = new Set<string>()
    for (const h of planned) {
      const key = JSON.stringify([h.preset, h.architecture, h.recipe.augment])
      if (seen.has(key)) continue
      seen.add(key)
      await runs.checkDataset(h)
    }
  }

  async function group(id: number): Promise<GroupSummary> {
    const g = await store.groups.get(id)
    if (!g) throw notFound(`Group ${id}`)
    return g
  }

  async function groupDetail(g: GroupSummary): Promise<GroupDetail> {
    return { ...g, members: await store.runs.getMany(g.memberIds) }
  }

  async function sweep(id: number): Promise<SweepDetail> {
    const s = await store.sweeps.get(id)
    if (!s) throw notFound(`Sweep ${id}`)
    return s
  }

  return {
    /** Queues `repeats` runs of the same hyperparameters with seeds base, base + 1, …, recorded as one group. */
    async startRepeats(hparams: Hparams, repeats: number, name?: string, where: Where = 'here'): Promise<GroupSummary> {
      const team = await teamFor(where)
      await runs.checkDataset(hparams)
      const seeds = repeatSeeds(hparams.seed, repeats)
      const base = name ?? defaultRunName(hparams)
      const { groupId, ids } = await store.transaction(async (tx) => {
        const groupId = await tx.groups.insert({ name: `${base} × ${repeats} seeds`, preset: hparams.preset })
        const ids = await insertRepeats(tx, hparams, seeds, base)
        await tx.groups.assign(groupId, ids)
        return { groupId, ids }
      })
      await queueAll(ids, team)
      return group(groupId)
    },
    /**
     * Repeats an existing run over `repeats` seeds in all: the run itself keeps its seed and result,
     * `repeats − 1` new runs take the next seeds, and all of them form one new group.
     */
    async repeatRun(id: number, repeats: number): Promise<GroupSummary> {
      const run = await store.runs.get(id)
      if (!run) throw notFound(`Run ${id}`)
      if (run.groupId !== null) {
        const name = (await store.groups.get(run.groupId))?.name ?? `group ${run.groupId}`
        throw conflict(
          `Run ${id} is already one of the seeds of "${name}", so it cannot start another group. Nothing was queued; open the group in Experiments, or start new repeats from New run.`
        )
      }
      if (run.status === 'failed') {
        throw conflict(`Run ${id} failed, so it cannot be the first seed of a group. Nothing was queued; re-run it first, then repeat it.`)
      }
      await runs.checkDataset(run.hparams)
      await refuseOtherFiles(run)
      const seeds = repeatSeeds(run.seed, repeats).slice(1)
      const { groupId, ids } = await store.transaction(async (tx) => {
        const groupId = await tx.groups.insert({ name: `${run.name} × ${repeats} seeds`, preset: run.preset })
        const ids = await insertRepeats(tx, run.hparams, seeds, run.name)
        await tx.groups.assign(groupId, [id, ...ids])
        return { groupId, ids }
      })
      // The original row gains its group; the new ones are announced and queued.
      emit('runs.updated', toSummary((await store.runs.get(id))!))
      await queueAll(ids, null)
      return group(groupId)
    },
    /**
     * Queues every run of a sweep, recorded as one sweep; each configuration's seeds form a group when
     * there are two or more. All of them train on the spec's one dataset (see `sweepHparams`).
     */
    async startSweep(spec: SweepSpec, name?: string, where: Where = 'here'): Promise<SweepSummary> {
      const team = await teamFor(where)
      const seeds = repeatSeeds(spec.seeds.base, spec.seeds.count)
      const planned = sweepConfigs(spec).map((config) => sweepHparams(spec, config, seeds[0]!))
      await checkSweep(planned)
      // Named by its dataset unless it is the default one (as every sweep was before datasets existed).
      const on = spec.dataset === DEFAULT_DATASET ? '' : ` on ${builtinRef(spec.dataset)?.title ?? spec.dataset}`
      const models = sweepModels(spec)
      const what = models.length === 1 ? modelTitle(modelLabel(models[0]!)) : `${models.length} models`
      const sweepName = name ?? `${what} ${spec.mode} sweep${on} · ${planned.length * seeds.length} runs`
      const { sweepId, ids } = await store.transaction(async (tx) => {
        const sweepId = await tx.sweeps.insert({ name: sweepName, spec })
        const ids: number[] = []
        for (const hparams of planned) {
          const label = `${modelTitle(modelLabel(hparams))} · ${configLabel(sweepConfigOf(hparams), spec)}`
          const members = await insertRepeats(tx, hparams, seeds, label)
          if (members.length > 1) {
            const groupId = await tx.groups.insert({ name: `${label} × ${seeds.length} seeds`, preset: hparams.preset, sweepId })
            await tx.groups.assign(groupId, members)
          }
          ids.push(...members)
        }
        await tx.sweeps.assign(sweepId, ids)
        return { sweepId, ids }
      })
      await queueAll(ids, team)
      const { runs: _points, ...summary } = await sweep(sweepId)
      return summary
    },
    listGroups: (): Promise<GroupSummary[]> => store.groups.list(),
    getGroup: async (id: number): Promise<GroupDetail> => groupDetail(await group(id)),
    /** Several groups with their members, in the order asked for; an unknown id is an error naming it. */
    async getGroups(ids: number[]): Promise<GroupDetail[]> {
      const groups = await store.groups.getMany(ids)
      const missing = ids.filter((id) => !groups.some((g) => g.id === id))
      if (missing.length) throw notFound(`Group ${missing.join(', ')}`)
      // One read of every member, whatever the number of groups.
      const members = new Map((await store.runs.getMany(groups.flatMap((g) => g.memberIds))).map((r) => [r.id, r]))
      return groups.map((g) => ({ ...g, members: g.memberIds.flatMap((id) => members.get(id) ?? []) }))
    },
    listSweeps: (): Promise<SweepSummary[]> => store.sweeps.list(),
    getSweep: sweep,
    /** Forgets groups and sweeps whose runs were all deleted. */
    async prune(): Promise<void> {
      await store.groups.pruneEmpty()
      await store.sweeps.pruneEmpty()
    }
  }
}

export type GroupService = ReturnType<typeof createGroupService>
