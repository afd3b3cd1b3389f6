/**
 * `npm run bench [-- --json] [--presets a,b] [--backends wasm,cpu] [--rounds N] [--round-seconds S]
 *   [--round-images N] [--no-pytorch] [--cpu-cnn] [--images N] [--passes N]`
 *
 * Training throughput (images/s, batch 64, Adam 1e-3) of every preset and example architecture
 * (bench/bench-models.ts) on TensorFlow.js, next to PyTorch on
 * CPU with 2 threads running the same architectures (bench/pytorch_bench.py) when `import torch` works.
 *
 * On a shared machine the load changes by the minute, so the two engines are not measured one after the
 * other: per preset, each engine gets one persistent process (bench/engine-protocol.ts) that pays start-up,
 * data loading and an untimed warm-up (at least 8 batches and 3 s) once, and then `--rounds` short rounds
 * (default 5) alternate between them, the engine that goes first alternating too (A B, B A, …). A round is
 * the same number of images for both engines: whole batches that take the slower one about
 * `--round-seconds` (default 1.5, judged from a probe after the warm-up; a fixed count of "a few hundred
 * images" would last 40 ms on `dense`), or `--round-images`. Each round gives one TensorFlow.js/PyTorch
 * ratio from two adjacent measurements; a preset reports the median ratio and its spread, and flags a
 * spread over 25 % of the median as not trustworthy. Each engine's images/s is its median over the rounds;
 * peak RSS is per process.
 * PyTorch runs with OMP_WAIT_POLICY=PASSIVE unless the environment sets it (see TORCH_WAIT_POLICY).
 *
 * The cpu backend is not interleaved: it measures `dense` alone after the rounds (median of `--passes`
 * passes of `--images` images after a warm-up), since it trains the CNNs at 0.3–3 images/s; `--cpu-cnn`
 * asks for one capped pass of 64 images on them. Progress goes to stderr; the table (or `--json`) to stdout.
 */
import { errorMessage } from '@shared/error-text'
import { spawnSync } from 'node:child_process'
import { printTable, type OtherBackend, type PresetReport } from './bench-report'
import { BENCH_MODELS, type BenchModel } from './bench-models'
import { startTfjsEngine, startTorchEngine, type EngineHost } from './engine-hosts'
import type { StartCommand } from './engine-protocol'
import { cpuOnlyReport, measureCpu } from './cpu-measure'
import { interleaveRounds, roundImagesFor } from './interleave'
import { median, summarizeRatios } from './round-stats'

const PYTHON = '/usr/bin/python3'
const TORCH_THREADS = 2
const BATCH = 64
const WARMUP_IMAGES = 8 * BATCH
const PROBE_IMAGES = 8 * BATCH
/** V8 compiles hot WASM code with its optimizing tier in the background; on a loaded machine that takes seconds. */
const WARMUP_SECONDS = 3
/**
 * PyTorch's OpenMP threads spin at every barrier by default. On a shared 2-core machine a descheduled
 * thread then stalls its partner: under the same load, cnn-shallow trained at 190 images/s spinning and
 * 2,060 passive. So the PyTorch engine waits passively unless the caller set OMP_WAIT_POLICY.
 */
const TORCH_WAIT_POLICY = process.env.OMP_WAIT_POLICY ?? 'PASSIVE'

interface Args {
  json: boolean
  presets: BenchModel[]
  backends: ('wasm' | 'cpu')[]
  pytorch: boolean
  cpuCnn: boolean
  rounds: number
  roundSeconds: number
  roundImages: number | null
  /** The cpu backend's protocol. */
  images: number
  passes: number
}

function parseArgs(argv: string[]): Args {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const positive = (name: string, fallback: number, integer = true): number => {
    const n = Number(value(name) ?? fallback)
    if (!(n > 0) || (integer && !Number.isInteger(n))) throw new Error(`${name} needs a positive ${integer ? 'integer' : 'number'}`)
    return n
  }
  const presets = (value('--presets')?.split(',') ?? [...BENCH_MODELS]) as BenchModel[]
  for (const p of presets) if (!BENCH_MODELS.includes(p)) throw new Error(`unknown preset '${p}' (known: ${BENCH_MODELS.join(', ')})`)
  const backends = (value('--backends')?.split(',') ?? ['wasm', 'cpu']) as Args['backends']
  for (const b of backends) if (b !== 'wasm' && b !== 'cpu') throw new Error(`unknown backend '${b}' (known: wasm, cpu)`)
  return {
    json: argv.includes('--json'),
    presets,
    backends,
    pytorch: !argv.includes('--no-pytorch'),
    cpuCnn: argv.includes('--cpu-cnn'),
    rounds: positive('--rounds', 5),
    roundSeconds: positive('--round-seconds', 1.5, false),
    roundImages: value('--round-images') ? positive('--round-images', 0) : null,
    images: positive('--images', 2048),
    passes: positive('--passes', 3)
  }
}

const log = (line: string): boolean => process.stderr.write(`${line}\n`)
const rate = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 1 })

function torchAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0
}

/** Starts PyTorch and the interleaved TensorFlow.js backends, runs the rounds, and sums them up. */
async function measurePreset(
  preset: BenchModel,
  args: Args,
  withTorch: boolean
): Promise<{ report: PresetReport; torch: string | null } | null> {
  const start: Omit<StartCommand, 'backend'> = {
    cmd: 'start',
    preset,
    batch: BATCH,
    warmupImages: WARMUP_IMAGES,
    warmupSeconds: WARMUP_SECONDS,
    probeImages: PROBE_IMAGES
  }
  const interleaved = args.backends.filter((b) => b !== 'cpu')
  if (interleaved.length === 0) return null
  const engines: EngineHost[] = []
  try {
    let torch: EngineHost | null = null
    if (withTorch) {
      try {
        torch = await startTorchEngine(
          { ...start, backend: 'cpu' },
          {
            python: PYTHON,
            threads: TORCH_THREADS,
            env: { ...process.env, OMP_WAIT_POLICY: TORCH_WAIT_POLICY }
          }
        )
        engines.push(torch)
      } catch (err) {
        log(`${preset} on PyTorch: not measured, images/s only (${errorMessage(err)})`)
      }
    }
    for (const backend of interleaved) {
      try {
        engines.push(await startTfjsEngine({ ...start, backend }))
      } catch (err) {
        log(`${preset} on ${backend}: not measured (${errorMessage(err)})`)
      }
    }
    const tfjs = engines.filter((e) => e !== torch)
    if (tfjs.length === 0) return null
    const roundImages =
      args.roundImages ??
      roundImagesFor(
        engines.map((e) => e.ready.probeImagesPerSec),
        args.roundSeconds,
        BATCH
      )
    log(`${preset}: ${args.rounds} rounds of ${roundImages} images on ${engines.map((e) => e.name).join(' and ')}`)
    const results = await interleaveRounds(engines, {
      rounds: args.rounds,
      roundImages,
      onRound: (engine, round, r) => log(`${preset} round ${round + 1} on ${engine.name}: ${rate(r.imagesPerSec)} images/s`)
    })
    const finished = await Promise.all(engines.map((e) => e.finish()))
    const ratesOf = (e: EngineHost): number[] => results[engines.indexOf(e)].map((r) => r.imagesPerSec)
    const finishOf = (e: EngineHost) => finished[engines.indexOf(e)]
    // The headline backend is the fastest interleaved one; a second one is reported beside it.
    const [main, ...rest] = [...tfjs].sort((a, b) => median(ratesOf(b)) - median(ratesOf(a)))
    const mainRates = ratesOf(main)
    const torchRates = torch ? ratesOf(torch) : null
    const summary = torchRates ? summarizeRatios(mainRates.map((r, i) => r / torchRates[i])) : null
    const others: Record<string, OtherBackend> = {}
    for (const e of rest) {
      others[e.name] = {
        imagesPerSec: median(ratesOf(e)),
        peakRssMb: finishOf(e).peakRssMb,
        capped: false,
        images: roundImages,
        passes: args.rounds
      }
    }
    const report: PresetReport = {
      backend: main.name,
      imagesPerSec: median(mainRates),
      peakRssMb: finishOf(main).peakRssMb,
      pytorchImagesPerSec: torchRates ? median(torchRates) : null,
      ratio: summary?.median ?? null,
      trustworthy: summary?.trustworthy ?? null,
      ratioSpread: summary,
      threads: main.ready.threads,
      roundImages,
      rounds: mainRates,
      pytorchRounds: torchRates,
      pytorchPeakRssMb: torch ? finishOf(torch).peakRssMb : null,
      data: main.ready.data,
      numTensorsGrowth: finishOf(main).numTensorsGrowth,
      others
    }
    return { report, torch: torch?.ready.version ?? null }
  } finally {
    for (const e of engines) e.kill()
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const withTorch = args.pytorch && torchAvailable()
  if (args.pytorch && !withTorch) log(`PyTorch not available (${PYTHON} -c "import torch" failed): images/s only`)
  let torchVersion: string | null = null
  const reports: Record<string, PresetReport> = {}
  for (const preset of args.presets) {
    const measured = await measurePreset(preset, args, withTorch).catch((err: unknown) => {
      log(`${preset}: rounds abandoned, nothing kept for it (${errorMessage(err)})`)
      return null
    })
    const r = measured?.report ?? null
    torchVersion = measured?.torch ?? torchVersion
    if (r) {
      const s = r.ratioSpread
      const ratio = s ? `, ratio ${s.median.toFixed(2)} (${s.min.toFixed(2)}–${s.max.toFixed(2)})` : ''
      log(`${preset} on ${r.backend}: median ${rate(r.imagesPerSec)} images/s${ratio}`)
    }
    if (args.backends.includes('cpu')) {
      try {
        const { images, passes, cpuCnn } = args
        const cpu = await measureCpu({ preset, batch: BATCH, warmupImages: WARMUP_IMAGES, images, passes, cpuCnn })
        if (cpu) log(`${preset} on cpu: ${rate(cpu.cpu.imagesPerSec)} images/s`)
        if (cpu && r) r.others.cpu = cpu.cpu
        else if (cpu) reports[preset] = cpuOnlyReport(cpu)
      } catch (err) {
        log(`${preset} on cpu: not measured (${errorMessage(err)})`)
      }
    }
    if (r) reports[preset] = r
  }
  if (args.json) {
    const method = {
      rounds: args.rounds,
      order: 'ABBA',
      roundSeconds: args.roundImages ? null : args.roundSeconds,
      torchOmpWaitPolicy: withTorch ? TORCH_WAIT_POLICY : null
    }
    console.log(JSON.stringify({ presets: reports, pytorch: torchVersion, batch: BATCH, method }, null, 2))
  } else {
    printTable(reports, {
      batch: BATCH,
      rounds: args.rounds,
      cpuPasses: args.passes,
      cpuImages: args.images,
      torchVersion,
      torchWaitPolicy: TORCH_WAIT_POLICY,
      torchAsked: args.pytorch
    })
  }
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${errorMessage(err)}`)
  process.exit(1)
})
