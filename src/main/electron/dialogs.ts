/** Native save/open dialogs, the app's implementation of the core's Dialogs. */
import { join } from 'node:path'
import { app, dialog, type BrowserWindow } from 'electron'
import type { Dialogs } from '../core/core-options'

/** Dialogs attached to `getWindow()` (modal to it when it exists). */
export function electronDialogs(getWindow: () => BrowserWindow | null): Dialogs {
  return {
    async saveFile({ title, suggestedName, filters }) {
      const window = getWindow()
      const options = { title, defaultPath: join(app.getPath('documents'), suggestedName), filters }
      const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
      return result.canceled || !result.filePath ? null : result.filePath
    },
    async openFolder({ title }) {
      const window = getWindow()
      const options = { title, properties: ['openDirectory' as const] }
      const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
      return result.canceled || result.filePaths.length === 0 ? null : (result.filePaths[0] ?? null)
    }
  }
}
