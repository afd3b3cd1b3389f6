/**
 * The custom architecture of New run, as the text a person edits: checked on every keystroke against
 * the chosen dataset (JSON and schema first, then shape inference), with the cost the editor shows.
 */
import type { Architecture } from '@shared/architecture/architecture-schema'
import { parseArchitectureJson, type ArchitectureIssue } from '@shared/architecture/parse-architecture'
import { inferArchitecture, type Inference, type InferredRow } from '@shared/architecture/infer-architecture'
import { toDraft, type DraftArchitecture } from '@shared/architecture/layer-edits'
import { estimateEpochSeconds } from '@shared/architecture/estimate-epoch'
import type { ImageShape } from '@shared/dataset'

/** The dataset the architecture is checked against. */
export interface CustomArchitectureTarget {
  shape: ImageShape
  classCount: number
  /** Images one epoch trains on (the subset when one is set). */
  trainImages: number
}

/**
 * A text that trains: the architecture, its layer table and cost; or the one line that says why not,
 * with every problem by layer (the schema's, or the one layer shape inference stops at) and the rows
 * of the layers before that one.
 */
export type CustomArchitectureCheck =
  | ({ ok: true; architecture: Architecture; epochSeconds: number } & Inference)
  | { ok: false; message: string; issues: ArchitectureIssue[]; rows: InferredRow[] }

/** The JSON the editor shows for an architecture (or a draft of one): two-space indented, as the example files are. */
export const architectureText = (architecture: Architecture | DraftArchitecture): string => `${JSON.stringify(architecture, null, 2)}\n`

/** The editor's text as a draft the structural view can show and edit, or null when it is not JSON of that structure. */
export function draftFromText(text: string): DraftArchitecture | null {
  try {
    return toDraft(JSON.parse(text))
  } catch {
    return null
  }
}

/** Checks the editor's text: JSON, the schema (first problem), then whether the dataset's images can go through it. */
export function checkCustomArchitecture(text: string, target: CustomArchitectureTarget): CustomArchitectureCheck {
  const parsed = parseArchitectureJson(text)
  if (!parsed.ok) return { ok: false, message: parsed.issues[0]?.message ?? 'not a valid architecture', issues: parsed.issues, rows: [] }
  const inferred = inferArchitecture(parsed.architecture, { shape: target.shape, classCount: target.classCount })
  if (!inferred.ok) {
    const { path, message } = inferred.error
    return { ok: false, message, issues: [{ path, field: '', message }], rows: inferred.rows }
  }
  const { rows, totalParams, totalMacs } = inferred
  return {
    ok: true,
    architecture: parsed.architecture,
    rows,
    totalParams,
    totalMacs,
    epochSeconds: estimateEpochSeconds(totalMacs, target.trainImages)
  }
}

/** A file name for the architecture's JSON: its name, made safe for any file system. */
export function architectureFileName(name: string): string {
  const safe = name
    .trim()
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[-.]+|-+$/g, '')
  return `${safe || 'architecture'}.json`
}
