/** Atelier's headless command line: `npm run cli -- <command> [flags]`. */
import { errorMessage } from '@shared/error-text'
import { isBadStoreLocation } from '@main/core/errors'
import { parseCommandLine, UsageError } from './args'
import { compareCommand } from './compare-command'
import { exportCommand, listCommand, showCommand } from './show-commands'
import { serveCommand } from './serve-command'
import { predictCommand } from './model-commands'
import { trainCommand } from './train-command'
import { resumeCommand, trainMoreCommand } from './continue-commands'
import { dropCheckpointsCommand } from './show-commands'
import { sweepCommand } from './sweep-command'
import { HELP } from './help'
import { datasetCommand } from './dataset-command'
import { archCommand } from './arch-command'
import { recipesCommand } from './recipes-command'
import { workerCommand } from './worker-command'
import { dbCommand } from './db-command'

async function main(argv: string[]): Promise<number> {
  const { command, positionals, flags } = parseCommandLine(argv)
  if (flags.help || command === 'help' || command === undefined) {
    process.stdout.write(HELP)
    return command === undefined && !flags.help ? 2 : 0
  }
  switch (command) {
    case 'train':
      return trainCommand(flags)
    case 'resume':
      return resumeCommand(positionals[0], flags)
    case 'train-more':
      return trainMoreCommand(positionals[0], flags)
    case 'drop-checkpoints':
      return dropCheckpointsCommand(flags)
    case 'sweep':
      return sweepCommand(flags)
    case 'list':
      return listCommand(flags)
    case 'show':
      return showCommand(positionals[0], flags)
    case 'export':
      return exportCommand(positionals[0], flags)
    case 'serve':
      return serveCommand(flags)
    case 'predict':
      return predictCommand(positionals[0], positionals.slice(1), flags)
    case 'compare':
      return compareCommand(positionals, flags)
    case 'dataset':
      return datasetCommand(positionals, flags)
    case 'arch':
      return archCommand(positionals, flags)
    case 'recipes':
      return recipesCommand(flags)
    case 'worker':
      return workerCommand(flags)
    case 'db':
      return dbCommand(positionals, flags)
    default:
      throw new UsageError(
        `unknown command "${command}" (commands: train, sweep, resume, train-more, drop-checkpoints, list, show, export, predict, compare, dataset, arch, recipes, serve, worker, db; see --help)`
      )
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    const message = errorMessage(error)
    process.stderr.write(`atelier: ${message}\n`)
    // Bad input, the store location included (a wrong URL or password, a newer store): exit 2.
    process.exitCode = error instanceof UsageError || isBadStoreLocation(error) ? 2 : 1
  }
)
