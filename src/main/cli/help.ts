/** The text of `cli --help`: every command and its flags, each flag under the command that takes it. */
export const HELP = `Atelier — image-classification experiments from the command line

Usage: npm run cli -- <command> [flags]

Commands
  train --model <dense|cnn-shallow|cnn-deep|cnn-bn> | --arch FILE.json|NAME[@VERSION] | --recipe NAME [--epochs N]
        [--batch-size N] [--lr X] [--val-split X] [--seed N] [--subset N] [--early-stop-patience N]
        [--reduce-lr-patience N] [--no-reduce-lr] [--name TEXT] [--backend auto|wasm|cpu|tensorflow] [--json]
        [--dataset NAME]              the dataset to train on (default fashion-mnist; see "dataset list")
        --recipe NAME                 a proven recipe (see "recipes"): its model, dataset and every setting
                                      it was measured with, named after it; other flags (--model or --arch
                                      too) change them
        --arch FILE.json              instead of --model: an architecture file (see "arch check"), checked
                                      against the dataset before anything is recorded; the run keeps it
        --arch NAME[@VERSION]         a saved architecture (see "arch save"; latest version by default),
                                      when no file of that path exists
        [--queue]                     record the run (or group) as queued in a team store (--db
                                      postgres://…) for its workers to train, and return at once
        [--repeats N]                 N runs (2–20) differing only in seed: --seed, --seed + 1, …; recorded
                                      as one group, reported with mean ± sample std (n − 1)
        [--optimizer adam|adamw|sgd|rmsprop] [--momentum X] [--nesterov] [--weight-decay X]
        [--schedule constant|step|cosine|onecycle] [--warmup-epochs N] [--label-smoothing X]
                                      the training recipe (default adam, constant, no warmup, no smoothing);
                                      --momentum (0 ≤ X < 1) for sgd and rmsprop, --nesterov for sgd;
                                      --weight-decay is decoupled for adamw, L2 otherwise
        [--augment shift[=PX],flip,erase[=P] | none]
                                      on-the-fly augmentation of the training images (default none):
                                      shift pads by PX px (default 2, at most a quarter of the image side)
                                      and crops at random; flip mirrors half the images left–right (wrong
                                      for digits and text: a mirrored glyph is another glyph); erase fills
                                      a random rectangle with noise in a fraction P of the images (default
                                      0.5). Training batches only (never validation or test), seeded: resume
                                      stays exact
  resume <id> [--json]                continue an interrupted, failed or cancelled run from its last checkpoint
  train-more <id> --epochs N [--json] train a completed run N more epochs (in place; test metrics evaluated again)
  drop-checkpoints                    delete checkpoints of completed runs, keeping their final models
  sweep --model <preset> | --models P,P,… | --archs A.json,NAME[@VERSION],…
        [--lr X | --lr MIN:MAX [--lr-count N]] [--batch-size N,N,…] [--epochs N,N,…]
        [--val-split X,X,…] [--optimizers O,O,…] [--schedules S,S,…] [--augments 'A;A;…']
        [--seeds N] [--seed BASE] [--random TRIALS [--draw-seed N]] [--subset N]
        [--name TEXT] [--dataset NAME] [--dry-run] [--json]
                                      grid search (default): every combination of the values, learning
                                      rates log-spaced from MIN to MAX (--lr-count values, default 3);
                                      --random TRIALS: draws TRIALS configurations, learning rate
                                      log-uniform in MIN:MAX, the others picked from their lists.
                                      --optimizers adam,adamw,sgd,rmsprop and --schedules constant,step,
                                      cosine,onecycle keep the rest of the recipe at its defaults;
                                      --augments takes settings separated by ";", each as train's
                                      --augment writes it: --augments 'none;shift=2,flip'.
                                      Models: --models cnn-shallow,cnn-bn (presets) and/or --archs with
                                      architecture files or saved architectures (each checked against the
                                      dataset, as train --arch does); every run starts from the first
                                      preset's defaults.
                                      Each configuration runs with --seeds seeds (BASE, BASE + 1, …), which
                                      form a group. At most 200 runs; --dry-run lists them without training.
                                      --queue: record the sweep in a team store for its workers; return at once
  list [--json]                       all runs, newest first
  show <id> [--json]                  architecture and parameter count, history, test metrics, per-class
                                      metrics, confusion matrix (--json: the architecture's layers too)
  export <id> [--predictions FILE.csv] [--run FILE.json] [--model DIR --format tfjs|onnx]
                                      tfjs: DIR/model.json + weights (tf.loadLayersModel);
                                      onnx: DIR/<run name>.onnx, input NHWC [N,H,W,C] in [0,1];
                                      beside each a preprocessing JSON (input shape, size, colour, scaling)
  predict <id> IMAGE... [--top N] [--dataset NAME] [--json]
                                      the run's model on PNG/JPEG/WebP/GIF files, each prepared as its
                                      training images were: top classes per file; --dataset refuses a
                                      run trained on another dataset
  serve [--port N] [--host ADDR] [--no-open]
                                      the workbench in a browser (prints its address with an access token)
  worker --db postgres://… [--concurrency N] [--name NAME] [--lease-seconds N] [--backend …]
                                      this machine trains the team store's queued runs until Ctrl-C, N at
                                      once (default 1); each run under a lease renewed while it trains: if
                                      this worker dies, another resumes its run from the last checkpoint
                                      after N seconds (default 30, at least 10). Ctrl-C hands runs back
  compare <a> <b> [--json] [--pdf FILE.pdf]
                                      test accuracies with 95% intervals, and whether B really
                                      differs from A (McNemar's exact test on the test predictions);
                                      a and b may be groups (g3): Welch's t-test on the members;
                                      --pdf also writes the comparison report (runs and groups)
  dataset list [--json]               every dataset: name, source, shape, classes, train/test sizes, ready, runs
  dataset show NAME [--json]          one dataset: its files, content hash, import report and class counts
  dataset download mnist|kmnist|cifar10
                                      the official files (md5-verified, progress with ETA; Ctrl-C cancels)
  dataset import mnist|kmnist|cifar10|fashion-mnist --folder DIR
                                      the official files from a folder you have (verified the same way)
  dataset add NAME --folder DIR [--size N] [--color gray|rgb] [--test-split X] [--seed N]
                                      a folder of images, one subfolder per class (optionally under train/
                                      and test/), imported once at N×N pixels (8–256; default the smaller of
                                      the median side and 64); without test/, a seeded stratified split
                                      (--test-split, default 0.2). Ctrl-C cancels and keeps nothing
  dataset remove NAME [--with-runs]   refused while runs trained on it, unless --with-runs deletes them too
  arch check FILE.json [--dataset NAME] [--batch-size N] [--backend B] [--json]
                                      an architecture file checked before any training: per layer its
                                      output shape, parameters and multiply-adds, the totals, a rough
                                      epoch time for the dataset (default fashion-mnist) and the memory
                                      training takes in batches of N (default 64), refused (exit 2) over
                                      4 GB where the run would train on WebAssembly (--backend as for
                                      train, default auto); or one line naming the layer and what to
                                      change (exit code 2)
  arch list [--dataset NAME] [--json] the four presets as architectures, with their parameter counts, and
                                      the saved architectures (latest version, how many versions)
  arch save FILE.json [--json]        keep an architecture in the store under its name: a new version when
                                      it differs from the latest ("unchanged" when not); runs that trained
                                      an earlier version keep theirs
  arch show NAME[@VERSION] [--json]   a saved architecture's JSON (the latest version by default)
  arch delete NAME                    every version of a saved architecture; runs keep what they trained
  recipes [--json]                    the proven recipes: what each trains and what it reached here

  db copy --from FILE|URL --to FILE|URL [--json]
                                      copy every ended run (epochs, results, predictions, resume points,
                                      groups, sweeps, model files) into another store, SQLite or
                                      PostgreSQL either way; each run read back and its files checked by
                                      SHA-256; copying again adds nothing twice

Every command accepts
  --db FILE|URL run database: a SQLite file, or a team store postgres://USER[:PASSWORD]@HOST[:PORT]/DB
                (sslmode from the URL honoured) (default: the app's, or ATELIER_DB)
  --data DIR    folder with the four Fashion-MNIST files (default: the app's, or ATELIER_DATA_DIR)
Other datasets live in datasets/ beside the database, or in ATELIER_DATASETS_DIR.
`
