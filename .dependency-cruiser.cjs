/**
 * Import layering of Atelier (see docs/architecture.md), checked by `npm run lint`:
 * one core (src/main/core, no Electron), three thin shells beside it (src/main/electron,
 * src/main/server, src/main/cli), the renderer and the preload, and src/shared, the contract all
 * of them speak. Any rule below that breaks fails the build; so does any import cycle.
 */

/** What a shell may import from the core: the core itself, its options, its API and its paths. */
const CORE_ENTRY = [
  '^src/main/core/core\\.ts$',
  '^src/main/core/core-options\\.ts$',
  '^src/main/core/open-core\\.ts$',
  '^src/main/core/errors\\.ts$',
  '^src/main/core/default-paths\\.ts$',
  '^src/main/core/startup-paths\\.ts$',
  '^src/main/core/api/'
]

/**
 * Known exceptions, kept as today's code has them (each one a candidate for the core's API):
 * the CLI reads the dataset itself for its summaries and sweeps, writes its exports and the Compare
 * report straight to the paths it was given, decodes image files for `predict`, and runs the
 * significance test for `compare`; the server streams the export files the core builds.
 */
const CLI_EXCEPTIONS = [
  '^src/main/core/dataset/index\\.ts$',
  '^src/main/core/runs/sweep-plan\\.ts$',
  // Atomic file writers: the CLI writes the core's files where the command line says.
  '^src/main/core/export/(write-file|exported-file|predictions-csv|run-json)\\.ts$',
  '^src/main/core/models/write-export-folder\\.ts$',
  '^src/main/core/export/compare-report/compare-report\\.ts$',
  '^src/main/core/models/decode-image\\.ts$',
  '^src/main/core/stats/(significance-service|group-source)\\.ts$'
]
const SERVER_EXCEPTIONS = ['^src/main/core/export/exported-file\\.ts$']

const ELECTRON = '(^|/)node_modules/electron/'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles (type-only imports included) make modules that cannot be read or tested alone.',
      from: {},
      to: { circular: true }
    },
    {
      name: 'core-no-electron',
      severity: 'error',
      comment: 'The core runs under plain Node (CLI, browser shell, tests): it never imports electron, not even indirectly.',
      from: { path: '^src/main/core/' },
      to: { path: ELECTRON, reachable: true }
    },
    {
      name: 'core-no-shells',
      severity: 'error',
      comment: 'The core knows no shell: not the Electron app, the HTTP server or the CLI.',
      from: { path: '^src/main/core/' },
      to: { path: '^src/main/(electron|server|cli)/' }
    },
    {
      name: 'main-no-renderer',
      severity: 'error',
      comment: 'The main side reaches the renderer and the preload only through the contract in src/shared.',
      from: { path: '^src/main/' },
      to: { path: '^src/(renderer|preload)/' }
    },
    {
      name: 'trainer-no-store',
      severity: 'error',
      comment: 'The trainer process never touches the database: it posts events and the main side stores them.',
      from: { path: '^src/main/core/trainer/' },
      to: {
        path: ['^src/main/core/(store|queue|blobs)/', '(^|/)node_modules/(better-sqlite3|pg|pg-boss|kysely)/'],
        reachable: true
      }
    },
    {
      name: 'queue-is-infrastructure',
      severity: 'error',
      comment:
        'core/queue only hands run ids between machines (pg-boss over the store location); what a worker does with a run lives in core/runs.',
      from: { path: '^src/main/core/queue/' },
      to: { path: '^src/main/core/(?!queue/|store/)' }
    },
    {
      name: 'blobs-are-infrastructure',
      severity: 'error',
      comment:
        'core/blobs keeps bytes by their hash in the team database; which file a run has, and checking that it is the right one, is core/models.',
      from: { path: '^src/main/core/blobs/' },
      to: { path: '^src/main/core/(?!blobs/|ensure-folder)' }
    },
    {
      name: 'trainer-and-models-apart',
      severity: 'error',
      comment: 'Trained models (files, inference, export) do not import the trainer; what both need of tf.js lives in core/tfjs.',
      from: { path: '^src/main/core/models/' },
      to: { path: '^src/main/core/trainer/' }
    },
    {
      name: 'tfjs-is-a-leaf',
      severity: 'error',
      comment: 'core/tfjs (backend ladder, WASM threads, kernels) serves the trainer and the models and imports neither.',
      from: { path: '^src/main/core/tfjs/' },
      to: { path: '^src/main/core/(?!tfjs/)' }
    },
    {
      name: 'shared-imports-nothing-of-the-sides',
      severity: 'error',
      comment: 'src/shared is the contract: it imports nothing of main, the preload or the renderer.',
      from: { path: '^src/shared/' },
      to: { path: '^src/(main|renderer|preload)/' }
    },
    {
      name: 'renderer-only-through-the-contract',
      severity: 'error',
      comment: 'The renderer imports only its own files and src/shared (window.atelier is typed, not imported).',
      from: { path: '^src/renderer/' },
      to: { path: '^src/(main|preload)/' }
    },
    {
      name: 'renderer-no-node',
      severity: 'error',
      comment: 'The renderer is a web page (also in a plain browser): no Node built-ins, no electron.',
      from: { path: '^src/renderer/' },
      to: { dependencyTypes: ['core'] }
    },
    {
      name: 'preload-only-shared',
      severity: 'error',
      comment: 'The preload bridges the contract; it imports src/shared and electron only.',
      from: { path: '^src/preload/' },
      to: { path: '^src/(main|renderer)/' }
    },
    {
      name: 'electron-shell-through-core-entry',
      severity: 'error',
      comment: 'A shell uses the core through its entry points (core.ts, core-options.ts, open-core.ts, errors.ts, the paths, api/).',
      from: { path: '^src/main/electron/' },
      to: { path: '^src/main/core/', pathNot: CORE_ENTRY }
    },
    {
      name: 'server-shell-through-core-entry',
      severity: 'error',
      comment: 'As electron-shell-through-core-entry, with the exceptions listed in SERVER_EXCEPTIONS.',
      from: { path: '^src/main/server/' },
      to: { path: '^src/main/core/', pathNot: [...CORE_ENTRY, ...SERVER_EXCEPTIONS] }
    },
    {
      name: 'cli-shell-through-core-entry',
      severity: 'error',
      comment: 'As electron-shell-through-core-entry, with the exceptions listed in CLI_EXCEPTIONS.',
      from: { path: '^src/main/cli/' },
      to: { path: '^src/main/core/', pathNot: [...CORE_ENTRY, ...CLI_EXCEPTIONS] }
    },
    {
      name: 'shells-apart',
      severity: 'error',
      comment: 'Shells do not import each other, except the CLI, whose `serve` command starts the HTTP server.',
      from: { path: '^src/main/(electron|server)/' },
      to: { path: '^src/main/(electron|server|cli)/', pathNot: '^src/main/$1/' }
    },
    {
      name: 'cli-not-electron',
      severity: 'error',
      comment: 'The CLI runs under plain Node.',
      from: { path: '^src/main/cli/' },
      to: { path: ['^src/main/electron/', ELECTRON], reachable: true }
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing.',
      from: {},
      to: { couldNotResolve: true }
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist)/' },
    // Type-only imports count: a cycle through types is still a cycle for a reader.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.vue', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings']
    },
    reporterOptions: { text: { highlightFocused: true } }
  }
}
