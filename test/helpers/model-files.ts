/**
 * Real model files without the trainer process: a dense model fitted 2 epochs on a few synthetic images
 * in this process, its last checkpoint and final model encoded for a given run and store, and written
 * into a core's store as the trainer writes them.
 */
import { completeHparams } from '@shared/hparams'
import type { Core } from '@main/core/core'
import type { ModelFileOwner } from '@main/core/models/model-file'
import { fit } from '@main/core/trainer/fit'
import { buildModel } from '@main/core/trainer/architectures'
import { saveModelFile } from '@main/core/trainer/save-model-file'
import { encodeModel } from '@main/core/trainer/training-state'
import { FASHION_INPUT } from './fashion-input'

/** 200 images whose class shows in their brightness pattern. */
function images(n = 200): { images: Uint8Array; labels: Uint8Array } {
  const out = { images: new Uint8Array(n * 784), labels: new Uint8Array(n) }
  for (let i = 0; i < n; i++) {
    out.labels[i] = i % 10
    for (let p = 0; p < 784; p++) out.images[i * 784 + p] = p % 10 === i % 10 ? 200 : (p * 13 + i) % 60
  }
  return out
}

/** Checkpoint and model bytes of 2 epochs of `dense` (seed decides the weights), owned by `owner`. */
export async function modelFileBytes(owner: ModelFileOwner, seed = 5): Promise<{ checkpoint: Uint8Array; model: Uint8Array }> {
  const hp = completeHparams({ preset: 'dense', epochs: 2, batchSize: 32, seed })
  if (!hp.ok) throw new Error(JSON.stringify(hp.errors))
  const model = buildModel({ ...FASHION_INPUT, preset: 'dense', seed })
  let checkpoint: Uint8Array | null = null
  try {
    await fit({
      model,
      hparams: hp.value,
      source: { ...images(), shape: FASHION_INPUT.shape },
      trainIndices: Uint32Array.from({ length: 160 }, (_, i) => i),
      validationIndices: Uint32Array.from({ length: 40 }, (_, i) => 160 + i),
      progressIntervalMs: 1e9,
      owner,
      callbacks: { onProgress: () => {}, onEpoch: async (_r, pack) => void (checkpoint = await pack()), shouldStop: () => false }
    })
    return { checkpoint: checkpoint!, model: await encodeModel({ model, epoch: 2, owner }) }
  } finally {
    model.dispose()
  }
}

/** Writes a run's files into its folder and records them, as the trainer and the run session do. */
export async function recordRunFiles(core: Core, runId: number, files: { checkpoint?: Uint8Array; model?: Uint8Array }): Promise<void> {
  const dir = core.models.prepareRunDir(runId)
  if (files.checkpoint)
    await core.store.modelFiles.record(runId, 'checkpoint', saveModelFile({ dir, kind: 'checkpoint', epoch: 2, bytes: files.checkpoint }))
  if (files.model) await core.store.modelFiles.record(runId, 'model', saveModelFile({ dir, kind: 'model', epoch: 2, bytes: files.model }))
}
