/** A real core on a temp database, the real dataset and real forked trainer processes. */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunStatus } from '@shared/run'
import { createCore, forkTrainer, type Core } from '@main/core/core'
import type { Dialogs } from '@main/core/core-options'

export interface TempCore {
  core: Core
  dir: string
  dbPath: string
  /** Resolves when the run reaches a final status. */
  finished(runId: number): Promise<RunStatus>
  close(): Promise<void>
}

export interface TempCoreExtras {
  dialogs?: Dialogs
}

export async function createTempCore(dataDir: string, extras: TempCoreExtras = {}): Promise<TempCore> {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-core-'))
  const dbPath = join(dir, 'atelier.db')
  const core = await createCore({
    dataDir,
    dbPath,
    appVersion: 'test',
    dataDirLocked: true,
    settingsPath: null,
    spawnTrainer: forkTrainer,
    dialogs: extras.dialogs ?? { saveFile: async () => null, openFolder: async () => null }
  })
  return {
    core,
    dir,
    dbPath,
    async finished(runId) {
      const outcome = await core.runs.queue.outcome(runId)
      return outcome?.status ?? (await core.runs.get(runId)).status
    },
    async close() {
      await core.shutdown({ cancelRunning: true })
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
