/** Atelier's headless command line: `npm run cli -- <command> [flags]`. */
import { errorMessage } from '@shared/error-text'
import { parseCommandLine, UsageError } from './cli/args'
import { compareCommand } from './cli/compare-command'
import { exportCommand, listCommand, showCommand } from './cli/show-commands'
import { serveCommand } from './cli/serve-command'
import { predictCommand } from './cli/model-commands'
import { trainCommand } from './cli/train-command'
import { resumeCommand, trainMoreCommand } from './cli/continue-commands'
import { dropCheckpointsCommand } from './cli/show-commands'
import { sweepCommand } from './cli/sweep-command'

const HELP = `Atelier — Fashion-MNIST experiments from the command line

Usage: npm run cli -- <command> [flags]

Commands
  train --model <dense|cnn-shallow|cnn-deep|cnn-bn> [--epochs N] [--batch-size N] [--lr X]
        [--val-split X] [--seed N] [--subset N] [--early-stop-patience N]
        [--reduce-lr-patience N] [--no-reduce-lr] [--name TEXT] [--backend auto|wasm|cpu|tensorflow] [--json]
  resume <id> [--json]                continue an interrupted, failed or cancelled run from its last checkpoint
  train-more <id> --epochs N [--json] train a completed run N more epochs (in place; test metrics evaluated again)
  drop-checkpoints                    delete checkpoints of completed runs, keeping their final models
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
  export <id> [--predictions FILE.csv] [--run FILE.json] [--model DIR --format tfjs|onnx]
                                      tfjs: DIR/model.json + weights (tf.loadLayersModel);
                                      onnx: DIR/<run name>.onnx, input NHWC [N,28,28,1] in [0,1]
  predict <id> IMAGE... [--top N] [--json]
                                      the run's model on PNG/JPEG/WebP files: top classes per file
  serve [--port N] [--host ADDR] [--no-open]
                                      the workbench in a browser (prints its address with an access token)
  compare <a> <b> [--json] [--pdf FILE.pdf]
                                      test accuracies with 95% intervals, and whether B really
                                      differs from A (McNemar's exact test on the test predictions);
                                      a and b may be groups (g3): Welch's t-test on the members;
                                      --pdf also writes the comparison report (runs and groups)

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
    default:
      throw new UsageError(`unknown command "${command}" (commands: train, sweep, resume, train-more, drop-checkpoints, list, show, export, predict, compare, serve; see --help)`)
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    const message = errorMessage(error)
    process.stderr.write(`atelier: ${message}\n`)
    process.exitCode = error instanceof UsageError ? 2 : 1
  }
)
