/** Atelier's headless command line: `npm run cli -- <command> [flags]`. */
import { parseCommandLine, UsageError } from './cli/args'
import { exportCommand, listCommand, showCommand } from './cli/show-commands'
import { trainCommand } from './cli/train-command'
import { sweepCommand } from './cli/sweep-command'

const HELP = `Atelier — Fashion-MNIST experiments from the command line

Usage: npm run cli -- <command> [flags]

Commands
  train --model <dense|cnn-shallow|cnn-deep|cnn-bn> [--epochs N] [--batch-size N] [--lr X]
        [--val-split X] [--seed N] [--subset N] [--early-stop-patience N]
        [--reduce-lr-patience N] [--no-reduce-lr] [--name TEXT] [--backend auto|wasm|cpu|tensorflow] [--json]
        [--repeats N]                 N runs (2–20) differing only in seed: --seed, --seed + 1, …; recorded
                                      as one group, reported with mean ± sample std (n − 1)
  sweep --model <preset> [--lr X | --lr MIN:MAX [--lr-count N]] [--batch-size N,N,…] [--epochs N,N,…]
        [--val-split X,X,…] [--seeds N] [--seed BASE] [--random TRIALS [--draw-seed N]] [--subset N]
        [--name TEXT] [--dry-run] [--json]
                                      grid search (default): every combination of the values, learning
                                      rates log-spaced from MIN to MAX (--lr-count values, default 3);
                                      --random TRIALS: draws TRIALS configurations, learning rate
                                      log-uniform in MIN:MAX, the others picked from their lists.
                                      Each configuration runs with --seeds seeds (BASE, BASE + 1, …), which
                                      form a group. At most 200 runs; --dry-run lists them without training.
  list [--json]                       all runs, newest first
  show <id> [--json]                  history, test metrics, per-class metrics, confusion matrix
  export <id> [--predictions FILE.csv] [--run FILE.json]

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
    case 'sweep':
      return sweepCommand(flags)
    case 'list':
      return listCommand(flags)
    case 'show':
      return showCommand(positionals[0], flags)
    case 'export':
      return exportCommand(positionals[0], flags)
    default:
      throw new UsageError(`unknown command "${command}" (commands: train, sweep, list, show, export; see --help)`)
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
