/**
 * Schema steps, applied in order. `PRAGMA user_version` holds how many have run, so
 * step `i` (0-based) brings a database from version `i` to `i + 1`. Append only: never
 * edit a step that has shipped, add a new one instead.
 */
export const MIGRATIONS: readonly string[] = [
  // v1: runs, their per-epoch history and their test results.
  `
  CREATE TABLE runs (
    -- AUTOINCREMENT: an id is never reused after deletion, so exports and comparisons stay unambiguous.
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT    NOT NULL,
    preset            TEXT    NOT NULL,
    hparams           TEXT    NOT NULL CHECK (json_valid(hparams)),
    status            TEXT    NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled', 'interrupted')),
    created_at        TEXT    NOT NULL,
    started_at        TEXT,
    finished_at       TEXT,
    error_message     TEXT,
    backend           TEXT,
    backend_info      TEXT    CHECK (backend_info IS NULL OR json_valid(backend_info)),
    app_version       TEXT    NOT NULL,
    seed              INTEGER NOT NULL,
    dataset_checksum  TEXT,
    notes             TEXT    NOT NULL DEFAULT '',
    tags              TEXT    NOT NULL DEFAULT '[]' CHECK (json_valid(tags) AND json_type(tags) = 'array'),
    epochs_planned    INTEGER NOT NULL CHECK (epochs_planned >= 1),
    epochs_done       INTEGER NOT NULL DEFAULT 0 CHECK (epochs_done >= 0),
    best_val_accuracy REAL
  );
  CREATE INDEX runs_by_created_at ON runs (created_at);
  CREATE INDEX runs_by_status ON runs (status);

  -- Metric columns are nullable because SQLite stores NaN as NULL; a diverged epoch
  -- (loss NaN) must still be recorded, and reads map NULL back to NaN.
  CREATE TABLE epochs (
    run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    epoch         INTEGER NOT NULL CHECK (epoch >= 1),
    loss          REAL,
    accuracy      REAL,
    val_loss      REAL,
    val_accuracy  REAL,
    learning_rate REAL,
    duration_ms   REAL    NOT NULL,
    PRIMARY KEY (run_id, epoch)
  ) WITHOUT ROWID;

  -- Small columns first: reading test_loss/test_accuracy for the run list then never
  -- touches the overflow pages holding the ~410 KB of prediction blobs.
  CREATE TABLE results (
    run_id        INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    test_loss     REAL,
    test_accuracy REAL,
    per_class     TEXT    NOT NULL CHECK (json_valid(per_class)),
    confusion     TEXT    NOT NULL CHECK (json_valid(confusion)),
    predicted     BLOB    NOT NULL,
    probabilities BLOB    NOT NULL
  );
  `,
  // v2: which process drives a running run, so a second process (the CLI beside the app) can tell
  // a live run from one whose owner died, and only mark the latter interrupted.
  `ALTER TABLE runs ADD COLUMN owner_pid INTEGER;`,
  // v3: trained models. Each run's latest checkpoint and final model are files beside the database
  // (see models/model-store.ts); this records which file, its format, epoch and size. Resume points
  // record where an interrupted run continued and where a completed one was trained further.
  `
  CREATE TABLE model_files (
    run_id     INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('checkpoint', 'model')),
    file       TEXT    NOT NULL,
    format     TEXT    NOT NULL,
    epoch      INTEGER NOT NULL CHECK (epoch >= 1),
    bytes      INTEGER NOT NULL CHECK (bytes > 0),
    created_at TEXT    NOT NULL,
    PRIMARY KEY (run_id, kind)
  ) WITHOUT ROWID;

  CREATE TABLE resume_points (
    run_id        INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    -- Training continued after this completed epoch.
    after_epoch   INTEGER NOT NULL CHECK (after_epoch >= 0),
    kind          TEXT    NOT NULL CHECK (kind IN ('resumed', 'extended')),
    at            TEXT    NOT NULL,
    -- For 'extended': the test figures the run had before it was trained further.
    test_accuracy REAL,
    test_loss     REAL
  );
  CREATE INDEX resume_points_by_run ON resume_points (run_id);
  `,
  // v4: groups (runs that share every hyperparameter but the seed) and sweeps (runs queued together by
  // a grid or random search). A run belongs to at most one of each; deleting a group or sweep keeps its runs.
  `
  CREATE TABLE sweeps (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    preset      TEXT    NOT NULL,
    spec        TEXT    NOT NULL CHECK (json_valid(spec)),
    created_at  TEXT    NOT NULL
  );
  CREATE TABLE groups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL,
    preset      TEXT    NOT NULL,
    sweep_id    INTEGER REFERENCES sweeps (id) ON DELETE SET NULL,
    created_at  TEXT    NOT NULL
  );
  ALTER TABLE runs ADD COLUMN group_id INTEGER REFERENCES groups (id) ON DELETE SET NULL;
  ALTER TABLE runs ADD COLUMN sweep_id INTEGER REFERENCES sweeps (id) ON DELETE SET NULL;
  CREATE INDEX runs_by_group ON runs (group_id) WHERE group_id IS NOT NULL;
  CREATE INDEX runs_by_sweep ON runs (sweep_id) WHERE sweep_id IS NOT NULL;
  `,
  // v5: each store's model files live in their own folder, `models/<store-id>/run-<id>/`, so two
  // databases in one folder never share (and delete) each other's files. The store id is a random
  // UUID made once here; model files carry it and their run id, and the database records each file's
  // SHA-256 (NULL for files recorded before v5 until the model store adopts them, see model-store.ts).
  `
  CREATE TABLE store_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO store_meta (key, value) VALUES ('store_id',
    lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || substr(lower(hex(randomblob(2))), 2) || '-' ||
    substr('89ab', 1 + (abs(random()) % 4), 1) || substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6))));
  ALTER TABLE model_files ADD COLUMN sha256 TEXT CHECK (sha256 IS NULL OR length(sha256) = 64);
  `,
  // v6: a version per run, bumped by every change to its row (by any process), so a reader can tell
  // the newer of two states of one run and a second process's changes can be found cheaply.
  `
  ALTER TABLE runs ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  CREATE TRIGGER runs_version_bump AFTER UPDATE ON runs FOR EACH ROW WHEN NEW.version = OLD.version
  BEGIN UPDATE runs SET version = OLD.version + 1 WHERE id = NEW.id; END;
  `,
  // v7: datasets are named things. A row records what a dataset is (source, shape, class names,
  // content hash, preprocessing, import report, where its files are); built-ins get theirs once their
  // files were read. Every run names its dataset; runs from before trained on Fashion-MNIST.
  `
  CREATE TABLE datasets (
    name          TEXT    PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 40),
    title         TEXT    NOT NULL,
    source        TEXT    NOT NULL CHECK (source IN ('fashion-mnist', 'mnist', 'kmnist', 'cifar10', 'folder')),
    content_hash  TEXT    CHECK (content_hash IS NULL OR length(content_hash) = 64),
    height        INTEGER NOT NULL CHECK (height > 0),
    width         INTEGER NOT NULL CHECK (width > 0),
    channels      INTEGER NOT NULL CHECK (channels IN (1, 3)),
    class_names   TEXT    NOT NULL CHECK (json_valid(class_names)),
    train_count   INTEGER NOT NULL CHECK (train_count >= 0),
    test_count    INTEGER NOT NULL CHECK (test_count >= 0),
    preprocessing TEXT    NOT NULL CHECK (json_valid(preprocessing)),
    location      TEXT    NOT NULL,
    report        TEXT    CHECK (report IS NULL OR json_valid(report)),
    created_at    TEXT    NOT NULL
  ) WITHOUT ROWID;
  ALTER TABLE runs ADD COLUMN dataset TEXT NOT NULL DEFAULT 'fashion-mnist';
  CREATE INDEX runs_by_dataset ON runs (dataset);
  `,
  // v8: whether the test metrics were measured after re-estimating batch-norm statistics (JSON, or NULL).
  `
  ALTER TABLE results ADD COLUMN batch_norm TEXT CHECK (batch_norm IS NULL OR json_valid(batch_norm));
  `,
  // v9: who trains a run, until when (milliseconds, the database's clock), and whether a cancel was
  // asked of it: a run trained by a worker of a team store is owned by a lease, not by a process id.
  `
  CREATE TABLE run_leases (
    run_id           INTEGER PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
    owner            TEXT    NOT NULL CHECK (length(owner) BETWEEN 1 AND 200),
    until_ms         INTEGER NOT NULL,
    cancel_requested INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1))
  ) WITHOUT ROWID;
  `,
  // v10: what \`db copy\` copied here, by origin ("run:<source store id>/<source id>", "group:…",
  // "sweep:…"), so copying the same store again adds nothing twice.
  `
  CREATE TABLE copied_from (
    origin    TEXT    PRIMARY KEY CHECK (length(origin) BETWEEN 1 AND 200),
    target_id INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // v11: architectures saved by name, each edit a new version (the canonical JSON, defaults filled in),
  // so a person starts from them later; runs keep their own copy in their hparams, never a reference.
  `
  CREATE TABLE architectures (
    name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    version      INTEGER NOT NULL CHECK (version >= 1),
    architecture TEXT    NOT NULL CHECK (json_valid(architecture)),
    created_at   TEXT    NOT NULL,
    PRIMARY KEY (name, version)
  ) WITHOUT ROWID;
  `
]
