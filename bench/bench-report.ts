/** `npm run bench`'s per-preset figures and the table it prints (the `--json` output carries the same). */
import { distrustNote, type RatioSummary } from './round-stats'

/** A backend measured outside the interleaved rounds (the cpu backend), or a second interleaved one. */
export interface OtherBackend {
  imagesPerSec: number
  peakRssMb: number
  /** True when only one batch was timed (the cpu backend on a CNN, `--cpu-cnn`). */
  capped: boolean
  /** Images per timed pass or round. */
  images: number
  /** Timed passes or rounds. */
  passes: number
}

/** One preset's figures; the first five fields are the stable `--json` contract. */
export interface PresetReport {
  /** The headline TensorFlow.js backend (the fastest interleaved one). */
  backend: string
  /** Median images/s over the rounds. */
  imagesPerSec: number
  peakRssMb: number
  /** PyTorch's median images/s over the same rounds; null without PyTorch. */
  pytorchImagesPerSec: number | null
  /** Median over the rounds of this round's TensorFlow.js / PyTorch images/s; null without PyTorch. */
  ratio: number | null
  /** False when the ratio's spread is too wide to trust (or too few rounds); null without PyTorch. */
  trustworthy: boolean | null
  /** The per-round ratios and their spread (its `median` is `ratio`); null without PyTorch. */
  ratioSpread: RatioSummary | null
  threads: number
  /** Images every engine trained per round. */
  roundImages: number
  /** images/s of each round, in order. */
  rounds: number[]
  pytorchRounds: number[] | null
  pytorchPeakRssMb: number | null
  data: string
  numTensorsGrowth: number | null
  others: Record<string, OtherBackend>
}

/** What the footer says about the run as a whole. */
export interface TableContext {
  batch: number
  rounds: number
  /** The cpu backend's own protocol: `passes` timed passes of `images` images. */
  cpuPasses: number
  cpuImages: number
  torchVersion: string | null
  /** OMP_WAIT_POLICY of the PyTorch engine. */
  torchWaitPolicy: string
  torchAsked: boolean
}

const fmt = (n: number | null, digits = 0): string =>
  n == null ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

function cpuCell(preset: string, r: PresetReport): string {
  const cpu = r.others.cpu
  if (cpu) return `${fmt(cpu.imagesPerSec, 1)}${cpu.capped ? ` (capped: ${cpu.passes}×${cpu.images} img)` : ''}`
  return preset === 'dense' ? '—' : 'not run (--cpu-cnn)'
}

const noteCell = (r: PresetReport): string => (r.ratioSpread ? (distrustNote(r.ratioSpread) ?? '') : '')

interface Column {
  title: string
  cell: (preset: string, r: PresetReport) => string
  /** Left-aligned (text) rather than right-aligned (numbers). */
  text?: boolean
}

const COLUMNS: Column[] = [
  { title: 'preset', cell: (preset) => preset, text: true },
  { title: 'backend', cell: (_, r) => r.backend, text: true },
  { title: 'threads', cell: (_, r) => String(r.threads) },
  { title: 'img/round', cell: (_, r) => fmt(r.roundImages) },
  { title: 'images/s', cell: (_, r) => fmt(r.imagesPerSec) },
  { title: 'pytorch images/s', cell: (_, r) => fmt(r.pytorchImagesPerSec) },
  { title: 'ratio', cell: (_, r) => fmt(r.ratio, 2) },
  { title: 'ratio min–max', cell: (_, r) => (r.ratioSpread ? `${fmt(r.ratioSpread.min, 2)}–${fmt(r.ratioSpread.max, 2)}` : '—') },
  { title: 'spread', cell: (_, r) => (r.ratioSpread ? `${fmt(r.ratioSpread.relativeSpread * 100)} %` : '—') },
  { title: 'peak RSS MB', cell: (_, r) => fmt(r.peakRssMb) },
  { title: 'cpu images/s', cell: cpuCell },
  { title: 'note', cell: (_, r) => noteCell(r), text: true }
]

const PYTORCH_COLUMNS = new Set(['pytorch images/s', 'ratio', 'ratio min–max', 'spread'])

export function printTable(reports: Record<string, PresetReport>, context: TableContext): void {
  const entries = Object.entries(reports)
  const withTorch = entries.some(([, r]) => r.pytorchImagesPerSec != null)
  const columns = COLUMNS.filter(
    (col) => (withTorch || !PYTORCH_COLUMNS.has(col.title)) && (col.title !== 'note' || entries.some(([, r]) => noteCell(r) !== ''))
  )
  const rows = [columns.map((col) => col.title), ...entries.map(([preset, r]) => columns.map((col) => col.cell(preset, r)))]
  const widths = columns.map((_, c) => Math.max(...rows.map((row) => row[c].length)))
  for (const [i, row] of rows.entries()) {
    const cells = row.map((cell, c) => (columns[c].text ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
    console.log(cells.join('  ').trimEnd())
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  }
  const first = entries[0]?.[1]
  const torch = context.torchVersion
    ? `PyTorch ${context.torchVersion} on CPU, 2 threads (OMP_WAIT_POLICY=${context.torchWaitPolicy}), in the same rounds, the engines alternating which goes first; ` +
      "ratio = median of each round's TensorFlow.js/PyTorch, spread = (max − min)/median"
    : context.torchAsked
      ? 'PyTorch not available (python3 -c "import torch" failed)'
      : 'PyTorch skipped (--no-pytorch)'
  const passes = `${context.cpuPasses} pass${context.cpuPasses === 1 ? '' : 'es'}`
  console.log(
    `\nbatch ${context.batch}, Adam 1e-3; medians of ${context.rounds} rounds per preset after an untimed warm-up; ` +
      `images: ${first?.data ?? '?'} Fashion-MNIST; ${torch}. ` +
      `The cpu backend is measured on its own afterwards (median of ${passes} of ${context.cpuImages} images).`
  )
}
