/**
 * A new dataset folder chosen in Settings is checked before it is saved. A typo must not replace a
 * working folder (every later run would fail), and the folder must not change under runs that are
 * training or waiting to train: they were queued against the files in the current folder.
 */
import { statSync } from 'node:fs'
import { resolve } from 'node:path'
import { datasetStatus } from './status'
import { conflict } from '../errors'

export interface DataDirChange {
  /** The folder asked for, as typed. */
  next: string
  /** The folder in use now. */
  current: string
  /** Runs training or queued in this process. */
  activeRuns: number
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory()
  } catch {
    return false
  }
}

/** The absolute folder to save; throws a conflict naming what is wrong, with the current folder kept. */
export function checkDataDirChange({ next, current, activeRuns }: DataDirChange): string {
  const dir = resolve(next.trim())
  if (dir === resolve(current)) return dir
  const kept = `Nothing was changed: Atelier keeps using ${current}.`
  if (activeRuns > 0) {
    const runs = activeRuns === 1 ? '1 run is' : `${activeRuns} runs are`
    throw conflict(
      `${runs} training or queued with the dataset in ${current}, and the folder cannot change under them. ${kept} Change it when they have finished, or cancel them first.`
    )
  }
  if (!isFolder(dir)) {
    throw conflict(
      `The folder ${dir} does not exist. ${kept} Check the path for a typo, or pick the folder that holds the four Fashion-MNIST files.`
    )
  }
  const status = datasetStatus(dir)
  if (!status.ready) {
    const missing = status.files.filter((f) => !f.present).map((f) => f.name)
    const what =
      missing.length > 0 ? `${dir} has no ${missing.join(', ')}` : (status.problem ?? `${dir} is not usable`).replace(/ — .*$/, '')
    throw conflict(`${what}. ${kept} Pick the folder that holds all four Fashion-MNIST files (.gz as published, or unpacked).`)
  }
  return dir
}
