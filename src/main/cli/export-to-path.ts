/**
 * The CLI's end of an export: the core makes the file (`core.exportFile`, the same builders the app's
 * save dialog and the browser's download use), and the command line writes it where it was told.
 */
import type { RequestOf } from '@shared/api'
import { CoreError } from '../core/errors'
import type { ExportChannel, ExportedFile } from '../core/export/exported-file'
import { writeFileAtomic } from '../core/export/write-file'

/** What `exportToPath` needs of the core. */
export interface FileExporter {
  exportFile(
    channel: string,
    request: unknown
  ): Promise<{ ok: true; data: ExportedFile } | { ok: false; error: { code: string; message: string } }>
}

/** Builds the export through the core and writes it atomically to `path`; a refused request throws the core's error. */
export async function exportToPath<C extends ExportChannel>(
  core: FileExporter,
  channel: C,
  request: RequestOf<C>,
  path: string
): Promise<ExportedFile> {
  const result = await core.exportFile(channel, request)
  if (!result.ok) {
    const code = result.error.code === 'unknown_channel' ? 'invalid_request' : (result.error.code as CoreError['code'])
    throw new CoreError(code, result.error.message)
  }
  writeFileAtomic(path, result.data.content)
  return result.data
}
