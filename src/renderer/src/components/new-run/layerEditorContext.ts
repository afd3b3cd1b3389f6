/**
 * What every level of the structural architecture editor shares (the list nests inside residual
 * blocks): the selection, the problems and output shapes by layer, and the edits it can ask for.
 */
import type { ComputedRef, InjectionKey, Ref } from 'vue'
import type { ArchitectureIssue } from '@shared/architecture/parse-architecture'

/** An edit a layer's buttons or keys ask for. */
export type LayerCommand = 'remove' | 'duplicate' | 'up' | 'down' | 'add-inside'

export interface LayerEditorContext {
  /** The selected layer's path key (`"5.2"`), where Add inserts after. */
  selected: Ref<string | null>
  /** True while the JSON text does not parse: the list shows the last valid architecture, read-only. */
  readOnly: ComputedRef<boolean>
  /** Problems by layer path key. */
  issues: ComputedRef<Map<string, ArchitectureIssue[]>>
  /** Output shape by layer path key (`28×28×32`), for the layers inference reached. */
  shapes: ComputedRef<Map<string, string>>
  select(path: number[]): void
  command(command: LayerCommand, path: number[]): void
  /** Sets fields of a layer (undefined removes one). */
  update(path: number[], fields: Record<string, unknown>): void
}

export const layerEditorKey: InjectionKey<LayerEditorContext> = Symbol('layerEditor')
