/**
 * The stock cpu backend, measured on its own and not interleaved with PyTorch: it trains the CNNs at
 * 0.3–3 images/s, so it times `dense` only (median of `passes` passes of `images` images after a warm-up),
 * or one capped batch of a CNN when `cpuCnn` asks for it.
 */
import type { BenchModel } from './bench-models'
import type { OtherBackend, PresetReport } from './bench-report'
import { startTfjsEngine } from './engine-hosts'
import type { EngineFinish, EngineReady, StartCommand } from './engine-protocol'
import { median } from './round-stats'

/** What to measure on the cpu backend. */
export interface CpuMeasureOptions {
  preset: BenchModel
  batch: number
  warmupImages: number
  /** Images per timed pass. */
  images: number
  passes: number
  /** Whether a CNN gets its one capped batch (else it is not run). */
  cpuCnn: boolean
}

/** The cpu backend's figures, with what its engine reported at start and exit. */
export interface CpuMeasurement {
  cpu: OtherBackend
  /** images/s of each timed pass. */
  rates: number[]
  ready: EngineReady
  finish: EngineFinish
}

/** Measures one preset in its own process; null when the preset is not run on cpu. */
export async function measureCpu(options: CpuMeasureOptions): Promise<CpuMeasurement | null> {
  const capped = options.preset !== 'dense'
  if (capped && !options.cpuCnn) return null
  const images = capped ? options.batch : options.images
  const passes = capped ? 1 : options.passes
  const start: StartCommand = {
    cmd: 'start',
    preset: options.preset,
    backend: 'cpu',
    batch: options.batch,
    warmupImages: capped ? 0 : options.warmupImages,
    warmupSeconds: 0,
    probeImages: 0
  }
  const engine = await startTfjsEngine(start)
  try {
    const rates: number[] = []
    for (let p = 0; p < passes; p++) rates.push((await engine.round(images)).imagesPerSec)
    const finish = await engine.finish()
    return { cpu: { imagesPerSec: median(rates), peakRssMb: finish.peakRssMb, capped, images, passes }, rates, ready: engine.ready, finish }
  } finally {
    engine.kill()
  }
}

/** `--backends cpu` alone: the cpu backend is the headline row, with no PyTorch ratio. */
export function cpuOnlyReport({ cpu, rates, ready, finish }: CpuMeasurement): PresetReport {
  return {
    backend: ready.backend,
    imagesPerSec: cpu.imagesPerSec,
    peakRssMb: cpu.peakRssMb,
    pytorchImagesPerSec: null,
    ratio: null,
    trustworthy: null,
    ratioSpread: null,
    threads: ready.threads,
    roundImages: cpu.images,
    rounds: rates,
    pytorchRounds: null,
    pytorchPeakRssMb: null,
    data: ready.data,
    numTensorsGrowth: finish.numTensorsGrowth,
    others: {}
  }
}
