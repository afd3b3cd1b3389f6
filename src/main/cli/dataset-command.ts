/** `dataset list|show|download|import|add|remove`: the Datasets view on the command line. */
import { BUILTIN_DATASETS, type BuiltinDataset } from '@shared/dataset'
import { UsageError, type Flags } from './args'
import { asUsage, shapeText, withDatasetCore } from './with-dataset-core'
import { table } from './format'
import { addCommand, downloadCommand, importCommand } from './dataset-import-commands'

/** A dataset name argument; `builtins` restricts it to those. */
export function datasetArg<T extends string = string>(value: string | undefined, usage: string, builtins?: readonly T[]): T {
  if (value === undefined) throw new UsageError(`dataset ${usage}`)
  if (builtins && !(builtins as readonly string[]).includes(value)) {
    throw new UsageError(`"${value}" is not one of ${builtins.join(', ')} (dataset ${usage})`)
  }
  return value as T
}

function listCommand(flags: Flags): Promise<number> {
  return withDatasetCore(flags, async (core) => {
    const list = await core.dataset.list()
    if (flags.json) {
      process.stdout.write(JSON.stringify(list) + '\n')
      return 0
    }
    const rows = list.map((d) => [
      d.name,
      d.source,
      shapeText(d),
      d.classNames.length,
      `${d.trainCount.toLocaleString('en-US')}/${d.testCount.toLocaleString('en-US')}`,
      d.ready ? (d.warning ? 'yes (!)' : 'yes') : 'no',
      d.runCount
    ])
    process.stdout.write(table(['name', 'source', 'shape', 'classes', 'train/test', 'ready', 'runs'], rows) + '\n')
    const notes = list.filter((d) => d.warning).map((d) => `${d.name}: ${d.warning}`)
    if (notes.length) process.stdout.write('\n' + notes.join('\n') + '\n')
    return 0
  })
}

function showCommand(name: string, flags: Flags): Promise<number> {
  return withDatasetCore(flags, async (core) => {
    const d = await asUsage(() => core.dataset.get(name))
    if (flags.json) {
      process.stdout.write(JSON.stringify(d) + '\n')
      return 0
    }
    const out = [
      `${d.name}: ${d.title} (${d.source})`,
      d.description,
      `shape ${shapeText(d)} · ${d.classNames.length} classes · ${d.trainCount.toLocaleString('en-US')} train / ${d.testCount.toLocaleString('en-US')} test images`,
      `content hash ${d.contentHash ?? '— (not read yet)'}`,
      `files ${d.location}`,
      `ready ${d.ready ? 'yes' : `no — ${d.problem}`}`,
      `runs ${d.runCount}`
    ]
    if (d.warning) out.push(`warning: ${d.warning}`)
    if (d.createdAt) out.push(`recorded ${d.createdAt}`)
    const r = d.report
    if (r) {
      out.push(
        `imported from ${r.from}: ${r.imported} of ${r.scanned} images, ${r.skipped.length} skipped, ${r.duplicates} duplicates, ` +
          (r.ownTestSplit ? 'its own test/ split' : `test split ${r.testSplit} (seed ${r.seed})`) +
          ` in ${r.seconds.toFixed(1)} s`
      )
      for (const s of r.skipped.slice(0, 20)) out.push(`  skipped ${s.file}: ${s.reason}`)
      if (r.skipped.length > 20) out.push(`  … and ${r.skipped.length - 20} more`)
    }
    out.push(
      '',
      table(
        ['class', 'name', 'train', 'test'],
        d.classNames.map((c, k) => [k, c, r?.trainPerClass[k] ?? '—', r?.testPerClass[k] ?? '—'])
      )
    )
    process.stdout.write(out.join('\n') + '\n')
    return 0
  })
}

function removeCommand(name: string, flags: Flags): Promise<number> {
  return withDatasetCore(flags, async (core) => {
    const { runsDeleted } = await asUsage(() => core.dataset.remove(name, flags['with-runs'] === true))
    process.stdout.write(`removed dataset ${name}${runsDeleted ? ` and its ${runsDeleted} run${runsDeleted === 1 ? '' : 's'}` : ''}\n`)
    return 0
  })
}

const SUBCOMMANDS = 'list, show, download, import, add, remove'

export function datasetCommand(positionals: string[], flags: Flags): Promise<number> {
  const [sub, name] = positionals
  switch (sub) {
    case 'list':
      return listCommand(flags)
    case 'show':
      return showCommand(datasetArg(name, 'show needs a dataset name, e.g. "dataset show mnist" (see "dataset list")'), flags)
    case 'remove':
      return removeCommand(datasetArg(name, 'remove needs a dataset name, e.g. "dataset remove my-photos"'), flags)
    case 'download':
      return downloadCommand(
        datasetArg(
          name,
          'download needs one of mnist, kmnist, cifar10',
          BUILTIN_DATASETS.filter((b) => b !== 'fashion-mnist')
        ),
        flags
      )
    case 'import':
      return importCommand(
        datasetArg<BuiltinDataset>(name, `import needs one of ${BUILTIN_DATASETS.join(', ')} and --folder DIR`, BUILTIN_DATASETS),
        flags
      )
    case 'add':
      return addCommand(datasetArg(name, 'add needs a name and --folder DIR, e.g. "dataset add my-photos --folder ~/photos"'), flags)
    default:
      throw new UsageError(
        sub === undefined ? `dataset needs a subcommand: ${SUBCOMMANDS}` : `unknown dataset subcommand "${sub}" (${SUBCOMMANDS})`
      )
  }
}
