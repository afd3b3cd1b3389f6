/**
 * A preset's layers and parameter count for a dataset's input shape and class count.
 *
 * SEAM (issue 17): `layerTable` / `parameterCount` in `src/shared/presets.ts` are being generalised by
 * the trainer's owner to take `(preset, shape, classCount)`. Until that lands they take the preset
 * only (and ignore the rest), so these pass all three through; once the shared signatures change,
 * call them directly and delete this file.
 */
import type { ImageShape } from '@shared/dataset'
import { layerTable, parameterCount, type LayerRow, type PresetId } from '@shared/presets'

type ForShape<T> = (preset: PresetId, shape: ImageShape, classCount: number) => T

export const layerTableFor: ForShape<LayerRow[]> = (preset, shape, classCount) =>
  (layerTable as unknown as ForShape<LayerRow[]>)(preset, shape, classCount)

export const parameterCountFor: ForShape<number> = (preset, shape, classCount) =>
  (parameterCount as unknown as ForShape<number>)(preset, shape, classCount)
