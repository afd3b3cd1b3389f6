/** How each dataset is described in the list: the catalogue or its stored row, plus what is on disk now. */
import { existsSync } from 'node:fs'
import { errorMessage } from '@shared/error-text'
import { BUILTINS, builtinRef, type BuiltinDataset, type DatasetInfo } from '@shared/dataset'
import { toRef, type DatasetRecord } from '../store/datasets-repo'
import type { BuiltinStatus } from './builtin'
import type { DatasetSources } from './dataset-sources'

/** A built-in's status; a source that throws is reported as the problem instead of failing the whole list. */
export function safeBuiltinStatus(sources: DatasetSources, name: BuiltinDataset, dir: string): BuiltinStatus {
  try {
    return sources.builtinStatus(name, dir)
  } catch (error) {
    return { ready: false, files: [], problem: errorMessage(error), warning: null }
  }
}

export interface BuiltinInfoInput {
  name: BuiltinDataset
  dir: string
  record: DatasetRecord | null
  status: BuiltinStatus
  runCount: number
}

/** A built-in as the list shows it: the catalogue, with the content hash once its files were read. */
export function builtinInfo({ name, dir, record, status, runCount }: BuiltinInfoInput): DatasetInfo {
  const b = BUILTINS[name]
  const ref = record ? toRef(record) : builtinRef(name)!
  return {
    ...ref,
    description: b.description,
    trainCount: record?.trainCount ?? b.trainCount,
    testCount: record?.testCount ?? b.testCount,
    ready: status.ready,
    problem: status.ready ? null : (status.problem ?? `${b.title} is not on this machine yet; download it or import its files.`),
    warning: status.warning,
    location: dir,
    runCount,
    createdAt: record?.createdAt ?? null,
    report: record?.report ?? null
  }
}

/** An imported folder: ready while its cache file is there. */
export function folderInfo(record: DatasetRecord, runCount: number): DatasetInfo {
  const present = existsSync(record.location)
  const classes = record.classNames.length
  const { height, width, channels } = record.shape
  return {
    ...toRef(record),
    description:
      `Imported from ${record.report?.from ?? 'a folder'}: ${classes} classes, ${height}×${width} ` +
      `${channels === 1 ? 'grayscale' : 'RGB'}.`,
    trainCount: record.trainCount,
    testCount: record.testCount,
    ready: present,
    problem: present
      ? null
      : `Its cache file ${record.location} is missing; remove the dataset and add the folder again (runs that used it keep their results).`,
    warning: null,
    location: record.location,
    runCount,
    createdAt: record.createdAt,
    report: record.report
  }
}
