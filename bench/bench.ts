/**
 * `npm run bench [-- --json] [--presets a,b] [--backends wasm,cpu] [--cpu-cnn] [--no-pytorch] [--images N] [--passes N]`
 *
 * Training throughput (images/s, batch 64, Adam 1e-3) of every preset on every TensorFlow.js backend that
 * loads, each measured in its own child process (peak RSS reported), next to PyTorch on CPU with 2 threads
 * running the same architectures (bench/pytorch_bench.py) when `import torch` works. Per preset, PyTorch
 * and TensorFlow.js run back to back so they see the same machine load. The cpu backend trains the CNNs at
 * 0.3–3 images/s, so it measures only `dense` unless `--cpu-cnn` asks for one capped pass of 64 images.
 * Progress goes to stderr; the table (or `--json`) to stdout.
 */
import { errorMessage } from '@shared/error-text'
import { fork, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { PRESET_IDS, type PresetId } from '@shared/presets'
import type { ChildRequest, ChildResult } from './train-child'

const PYTHON = '/usr/bin/python3'
const BATCH = 64

interface Args {
  json: boolean
  presets: PresetId[]
  backends: ('wasm' | 'cpu')[]
  pytorch: boolean
  cpuCnn: boolean
  images: number
  passes: number
}

function parseArgs(argv: string[]): Args {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const presets = (value('--presets')?.split(',') ?? [...PRESET_IDS]) as PresetId[]
  for (const p of presets) if (!PRESET_IDS.includes(p)) throw new Error(`unknown preset '${p}' (known: ${PRESET_IDS.join(', ')})`)
  return {
    json: argv.includes('--json'),
    presets,
    backends: (value('--backends')?.split(',') ?? ['wasm', 'cpu']) as Args['backends'],
    pytorch: !argv.includes('--no-pytorch'),
    cpuCnn: argv.includes('--cpu-cnn'),
    images: Number(value('--images') ?? 2048),
    passes: Number(value('--passes') ?? 3)
  }
}

/** The cpu backend needs minutes per batch on the CNNs: one pass of one batch there, or none; the table says so. */
function requestFor(preset: PresetId, backend: 'wasm' | 'cpu', args: Args): (ChildRequest & { capped: boolean }) | null {
  if (backend === 'cpu' && preset !== 'dense') {
    return args.cpuCnn ? { preset, backend, batch: BATCH, images: BATCH, passes: 1, warmupImages: 0, capped: true } : null
  }
  return { preset, backend, batch: BATCH, images: args.images, passes: args.passes, warmupImages: 8 * BATCH, capped: false }
}

function runChild(req: ChildRequest): Promise<ChildResult> {
  const file = fileURLToPath(new URL('./train-child.ts', import.meta.url))
  return new Promise((resolve, reject) => {
    const child = fork(file, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
    let stderr = ''
    let settled = false
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('message', (msg: { ok: true; result: ChildResult } | { ok: false; error: string }) => {
      settled = true
      if (msg.ok) resolve(msg.result)
      else reject(new Error(msg.error))
    })
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`benchmark child exited with code ${code}: ${stderr.trim().slice(-2000)}`))
    })
    child.send(req)
  })
}

interface TorchResult {
  imagesPerSec: number
  passes: number[]
}

function torchAvailable(): boolean {
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0
}

function runTorch(preset: PresetId, args: Args): TorchResult & { torch: string; data: string } {
  const script = fileURLToPath(new URL('./pytorch_bench.py', import.meta.url))
  const argv = [
    script,
    '--presets',
    preset,
    '--batch',
    String(BATCH),
    '--images',
    String(args.images),
    '--passes',
    String(args.passes),
    '--threads',
    '2'
  ]
  const res = spawnSync(PYTHON, argv, { encoding: 'utf8', maxBuffer: 1 << 20 })
  if (res.status !== 0) throw new Error(`PyTorch benchmark failed: ${res.stderr.trim().slice(-2000)}`)
  const out = JSON.parse(res.stdout) as { torch: string; data: string; presets: Record<string, TorchResult> }
  return { ...out.presets[preset], torch: out.torch, data: out.data }
}

/** One preset's figures; the first five fields are the stable `--json` contract. */
interface PresetReport {
  backend: string
  imagesPerSec: number
  peakRssMb: number
  pytorchImagesPerSec: number | null
  ratio: number | null
  threads: number
  passes: number[]
  data: string
  numTensorsGrowth: number
  pytorchPasses: number[] | null
  others: Record<string, { imagesPerSec: number; peakRssMb: number; capped: boolean; images: number; passes: number }>
}

const fmt = (n: number | null, digits = 0): string =>
  n == null ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

function printTable(reports: Record<string, PresetReport>, torchVersion: string | null, torchAsked: boolean): void {
  const rows = [['preset', 'backend', 'threads', 'images/s', 'peak RSS MB', 'pytorch images/s', 'ratio', 'cpu images/s']]
  for (const [preset, r] of Object.entries(reports)) {
    const cpu = r.others.cpu
    const cpuCell = cpu
      ? `${fmt(cpu.imagesPerSec, 1)}${cpu.capped ? ` (capped: ${cpu.passes}×${cpu.images} img)` : ''}`
      : preset === 'dense'
        ? '—'
        : 'not run (--cpu-cnn)'
    rows.push([
      preset,
      r.backend,
      String(r.threads),
      fmt(r.imagesPerSec),
      fmt(r.peakRssMb),
      fmt(r.pytorchImagesPerSec),
      fmt(r.ratio, 2),
      cpuCell
    ])
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)))
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  }
  const first = Object.values(reports)[0]
  console.log(
    `\nbatch ${BATCH}, Adam 1e-3, median of the timed passes after a warm-up; images: ${first?.data ?? '?'} Fashion-MNIST` +
      (torchVersion
        ? `; PyTorch ${torchVersion} on CPU, 2 threads`
        : torchAsked
          ? '; PyTorch not available (python3 -c "import torch" failed)'
          : '; PyTorch skipped (--no-pytorch)')
  )
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const withTorch = args.pytorch && torchAvailable()
  let torchVersion: string | null = null
  const reports: Record<string, PresetReport> = {}
  for (const preset of args.presets) {
    const torch = withTorch ? runTorch(preset, args) : null
    if (torch) {
      torchVersion = torch.torch
      process.stderr.write(`${preset} on PyTorch: ${fmt(torch.imagesPerSec, 1)} images/s\n`)
    }
    const results: Record<string, ChildResult & { capped: boolean; req: ChildRequest }> = {}
    for (const backend of args.backends) {
      const req = requestFor(preset, backend, args)
      if (!req) continue
      try {
        results[backend] = { ...(await runChild(req)), capped: req.capped, req }
        process.stderr.write(`${preset} on ${backend}: ${fmt(results[backend].imagesPerSec, 1)} images/s\n`)
      } catch (err) {
        process.stderr.write(`${preset} on ${backend}: not measured (${(err as Error).message})\n`)
      }
    }
    // The headline backend is the fastest one measured with the full protocol.
    const main = Object.values(results)
      .filter((r) => !r.capped)
      .sort((a, b) => b.imagesPerSec - a.imagesPerSec)[0]
    if (!main) continue
    const others: PresetReport['others'] = {}
    for (const [name, r] of Object.entries(results)) {
      if (r === main) continue
      others[name] = { imagesPerSec: r.imagesPerSec, peakRssMb: r.peakRssMb, capped: r.capped, images: r.req.images, passes: r.req.passes }
    }
    reports[preset] = {
      backend: main.backend,
      imagesPerSec: main.imagesPerSec,
      peakRssMb: main.peakRssMb,
      pytorchImagesPerSec: torch?.imagesPerSec ?? null,
      ratio: torch ? main.imagesPerSec / torch.imagesPerSec : null,
      threads: main.threads,
      passes: main.passes,
      data: main.data,
      numTensorsGrowth: main.numTensorsGrowth,
      pytorchPasses: torch?.passes ?? null,
      others
    }
  }
  if (args.json) console.log(JSON.stringify({ presets: reports, pytorch: torchVersion, batch: BATCH }, null, 2))
  else printTable(reports, torchVersion, args.pytorch)
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${errorMessage(err)}`)
  process.exit(1)
})
