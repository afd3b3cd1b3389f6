/** Whether the Electron binary is here, for the Electron test project: its path, or why not. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { electronPackage, isElectronInstalled } from '../../scripts/electron-binary'

export const ROOT = join(import.meta.dirname, '..', '..')

/** The executable to launch, or the one-line reason the project is skipped. */
export function electronExecutable(): { path: string } | { skipped: string } {
  const pkg = electronPackage(ROOT)
  if (!isElectronInstalled(pkg)) {
    return {
      skipped: `the Electron ${pkg.version} binary is not installed (no download possible here; \`npm start\` fetches it where there is network)`
    }
  }
  const given = process.env['ELECTRON_EXEC_PATH']
  if (given) return { path: given }
  return { path: join(pkg.dir, 'dist', readFileSync(join(pkg.dir, 'path.txt'), 'utf8').trim()) }
}
