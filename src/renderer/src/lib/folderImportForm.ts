/** The folder import form's values, checked as the person types, and turned into the request. */
import { folderImportSchema, MAX_IMPORT_SIDE, MIN_IMPORT_SIDE, type FolderImportOptions } from '@shared/dataset'

export interface FolderForm {
  folder: string
  name: string
  /** Square side in pixels; null for the default (the smaller of the median side and 64). */
  size: number | null
  color: 'auto' | 'gray' | 'rgb'
  /** Share held out as the test set when the folder has no `test/`; null for the default 0.2. */
  testSplit: number | null
  seed: number | null
}

export type FolderFormField = keyof FolderForm

export const emptyFolderForm = (): FolderForm => ({ folder: '', name: '', size: null, color: 'auto', testSplit: 0.2, seed: 0 })

/** A dataset name from a folder's last part: "My Photos (2024)" → "my-photos-2024"; empty when nothing usable is left. */
export function suggestName(folder: string): string {
  const last =
    folder
      .replace(/[\\/]+$/, '')
      .split(/[\\/]/)
      .pop() ?? ''
  return last
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
}

const MESSAGES: Record<FolderFormField, string> = {
  folder: 'Choose the folder to import (one subfolder per class).',
  name: 'Use 1–40 lower-case letters, digits and dashes, starting with a letter or digit.',
  size: `Use a whole number of pixels from ${MIN_IMPORT_SIDE} to ${MAX_IMPORT_SIDE}, or leave it empty for the default.`,
  color: 'Choose grayscale or RGB.',
  testSplit: 'Use a share between 0 and 1 (0.2 holds out a fifth of each class).',
  seed: 'Use a whole number from 0 to 2,147,483,647.'
}

/** Problems by field (empty when the form can be sent) and, when there are none, the request. */
export function checkFolderForm(
  form: FolderForm,
  takenNames: ReadonlySet<string>
): { errors: Partial<Record<FolderFormField, string>>; options: FolderImportOptions | null } {
  const candidate: Record<string, unknown> = { name: form.name.trim(), folder: form.folder.trim() }
  if (form.size !== null) candidate.size = form.size
  if (form.color !== 'auto') candidate.color = form.color
  if (form.testSplit !== null) candidate.testSplit = form.testSplit
  if (form.seed !== null) candidate.seed = form.seed
  const errors: Partial<Record<FolderFormField, string>> = {}
  const parsed = folderImportSchema.safeParse(candidate)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0]) as FolderFormField
      if (field in MESSAGES) errors[field] ??= MESSAGES[field]
    }
  }
  if (!errors.name && takenNames.has(candidate.name as string)) {
    errors.name = `A dataset named ${String(candidate.name)} exists already; choose another name (or remove that one first).`
  }
  return { errors, options: parsed.success && Object.keys(errors).length === 0 ? parsed.data : null }
}
