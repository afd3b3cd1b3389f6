/**
 * `db copy`: every ended run of one store, with its epochs, test results and predictions, resume
 * points, group, sweep and model files, into another store (SQLite or PostgreSQL, either way).
 * Each run is copied in one transaction and remembered by its origin, so copying again adds nothing
 * twice; each copied run is read back and checked (row counts, model files by SHA-256).
 */
import type { ModelFileKind, RunStore } from '@main/core/store'
import type { ModelStore } from './models/model-store'
import { conflict } from './errors'

/** One side of a copy: a store and its model files (an opened core has both). */
export interface StoreEnd {
  store: RunStore
  models: ModelStore
}

export interface CopyReport {
  /** Runs copied now. */
  copied: number
  /** Runs a previous copy already brought here. */
  already: number
  /** Runs not copied because they have not ended (queued or training): copy again once they have. */
  notEnded: number[]
  groups: number
  sweeps: number
  datasets: number
  /** Saved architecture versions copied (a name and version already there is left as it is). */
  architectures: number
  epochs: number
  modelFiles: number
}

export async function copyStore(from: StoreEnd, to: StoreEnd, log: (line: string) => void = () => undefined): Promise<CopyReport> {
  const source = from.models.storeId
  if (source === to.models.storeId)
    throw conflict('The two stores are the same store (one store id): there is nothing to copy. Nothing was changed.')
  const report: CopyReport = {
    copied: 0,
    already: 0,
    notEnded: [],
    groups: 0,
    sweeps: 0,
    datasets: 0,
    architectures: 0,
    epochs: 0,
    modelFiles: 0
  }
  const src = from.store.transfer
  const dst = to.store.transfer

  const sweepHere = async (id: number | null): Promise<number | null> => {
    if (id === null) return null
    const origin = `${source}/${id}`
    const there = await dst.copiedTo('sweep', origin)
    if (there !== null) return there
    const row = await src.sweep(id)
    if (!row) return null
    report.sweeps++
    return dst.insertSweep(row, origin)
  }
  const groupHere = async (id: number | null): Promise<number | null> => {
    if (id === null) return null
    const origin = `${source}/${id}`
    const there = await dst.copiedTo('group', origin)
    if (there !== null) return there
    const row = await src.group(id)
    if (!row) return null
    report.groups++
    return dst.insertGroup(row, await sweepHere(row.sweep_id), origin)
  }

  for (const dataset of await src.datasets()) if (await dst.insertDatasetIfAbsent(dataset)) report.datasets++
  for (const saved of await src.architectures()) if (await dst.insertArchitectureIfAbsent(saved)) report.architectures++

  for (const id of await src.runIds()) {
    const rows = await src.runRows(id)
    if (!rows) continue
    if (rows.run.status === 'queued' || rows.run.status === 'running') {
      report.notEnded.push(id)
      continue
    }
    const origin = `${source}/${id}`
    if ((await dst.copiedTo('run', origin)) !== null) {
      report.already++
      continue
    }
    // The files first, verified where they are (fetched there from a team store's database if need be).
    const files: Array<{ kind: ModelFileKind; bytes: Uint8Array }> = []
    for (const f of rows.modelFiles) {
      const bytes = await from.models.fileBytes(id, f.kind)
      if (bytes) files.push({ kind: f.kind, bytes })
    }
    const links = { groupId: await groupHere(rows.run.group_id), sweepId: await sweepHere(rows.run.sweep_id) }
    const copiedId = await dst.insertRun(rows, links, origin, async (runId) => {
      const records = []
      for (const { kind, bytes } of files) {
        const f = rows.modelFiles.find((m) => m.kind === kind)!
        const written = await to.models.adoptFile(runId, f, bytes)
        records.push({
          run_id: runId,
          kind,
          file: written.file,
          format: written.format,
          epoch: written.epoch,
          bytes: written.bytes,
          created_at: f.created_at,
          sha256: written.sha256
        })
      }
      return records
    })
    await verify(
      to,
      copiedId,
      id,
      rows.epochs.length,
      rows.results?.predicted.byteLength ?? null,
      files.map((f) => f.kind)
    )
    report.copied++
    report.epochs += rows.epochs.length
    report.modelFiles += files.length
    log(
      `run ${id} → run ${copiedId} "${rows.run.name}": ${rows.epochs.length} epochs, ${files.length} model file${files.length === 1 ? '' : 's'}`
    )
  }
  return report
}

/** Reads a copied run back: its epochs, predictions and model files (SHA-256 checked) must be all there. */
async function verify(
  to: StoreEnd,
  runId: number,
  sourceId: number,
  epochs: number,
  predictedBytes: number | null,
  kinds: ModelFileKind[]
): Promise<void> {
  const copied = await to.store.transfer.runRows(runId)
  const problem = !copied
    ? 'it is not there'
    : copied.epochs.length !== epochs
      ? `it has ${copied.epochs.length} epochs instead of ${epochs}`
      : (copied.results?.predicted.byteLength ?? null) !== predictedBytes
        ? 'its predictions differ in size'
        : null
  if (problem) throw new Error(`Run ${sourceId} was copied as run ${runId}, but reading it back ${problem}.`)
  for (const kind of kinds) await to.models.fileBytes(runId, kind)
}
