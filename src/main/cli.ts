/** Atelier's headless command line: `npm run cli -- <command> [flags]`. */
import { parseCommandLine, UsageError } from './cli/args'
import { compareCommand } from './cli/compare-command'
import { exportCommand, listCommand, showCommand } from './cli/show-commands'
import { trainCommand } from './cli/train-command'

const HELP = `Atelier — Fashion-MNIST experiments from the command line

Usage: npm run cli -- <command> [flags]

Commands
  train --model <dense|cnn-shallow|cnn-deep|cnn-bn> [--epochs N] [--batch-size N] [--lr X]
        [--val-split X] [--seed N] [--subset N] [--early-stop-patience N]
        [--reduce-lr-patience N] [--no-reduce-lr] [--name TEXT] [--backend auto|wasm|cpu|tensorflow] [--json]
  list [--json]                       all runs, newest first
  show <id> [--json]                  history, test metrics, per-class metrics, confusion matrix
  export <id> [--predictions FILE.csv] [--run FILE.json]
  compare <a> <b> [--json] [--pdf FILE.pdf]
                                      test accuracies with 95% intervals, and whether B really
                                      differs from A (McNemar's exact test on the test predictions);
                                      --pdf also writes the comparison report

Every command accepts
  --db FILE     run database (default: the app's, or ATELIER_DB)
  --data DIR    folder with the four Fashion-MNIST files (default: the app's, or ATELIER_DATA_DIR)
`

async function main(argv: string[]): Promise<number> {
  const { command, positionals, flags } = parseCommandLine(argv)
  if (flags.help || command === 'help' || command === undefined) {
    process.stdout.write(HELP)
    return command === undefined && !flags.help ? 2 : 0
  }
  switch (command) {
    case 'train':
      return trainCommand(flags)
    case 'list':
      return listCommand(flags)
    case 'show':
      return showCommand(positionals[0], flags)
    case 'export':
      return exportCommand(positionals[0], flags)
    case 'compare':
      return compareCommand(positionals, flags)
    default:
      throw new UsageError(`unknown command "${command}" (commands: train, list, show, export, compare; see --help)`)
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`atelier: ${message}\n`)
    process.exitCode = error instanceof UsageError ? 2 : 1
  }
)
