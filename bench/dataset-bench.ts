/**
 * `npm run bench:dataset [-- --images N] [--size S] [--classes K] [--preset P] [--batch B] [--epoch-images M] [--dir D] [--keep] [--no-epoch] [--given] [--json]`
 *
 * Issue 17 §7: generates a folder of N PNGs (default 100,000) of S×S×3 (default 64) in K classes
 * (default 10) — generation time not counted; a complete folder from an earlier run with the same
 * parameters is reused — then measures, each in its own child process:
 * - the folder import (images/s, seconds per phase, peak RSS); `--given` passes the size and colour
 *   (rgb), so each file is read once instead of probed first,
 * - one training epoch on the cache file it wrote (load time, images/s, peak RSS): `loadImages`,
 *   `stratifiedSplit` (10% validation), the preset (default dense) and the trainer's train step on
 *   WASM, batch 64; `--epoch-images M` caps the epoch for quick runs.
 * The folder goes to `$TMPDIR/atelier-dataset-bench-N-S-K` (or `--dir`) and is deleted at the end unless `--keep`.
 * Progress goes to stderr; the table (or `--json`) to stdout.
 */
import { fork } from 'node:child_process'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { PRESET_IDS, type PresetId } from '@shared/presets'
import type { DatasetChildRequest, EpochMeasure, ImportMeasure } from './dataset-child'
import { generateImageFolder } from './image-folder-gen'

interface Args {
  images: number
  size: number
  classes: number
  preset: PresetId
  batch: number
  epochImages: number | null
  dir: string | null
  keep: boolean
  epoch: boolean
  given: boolean
  json: boolean
}

function parseArgs(argv: string[]): Args {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const count = (name: string, fallback: number): number => {
    const n = Number(value(name) ?? fallback)
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number`)
    return n
  }
  const preset = (value('--preset') ?? 'dense') as PresetId
  if (!PRESET_IDS.includes(preset)) throw new Error(`unknown preset '${preset}' (known: ${PRESET_IDS.join(', ')})`)
  return {
    images: count('--images', 100_000),
    size: count('--size', 64),
    classes: count('--classes', 10),
    preset,
    batch: count('--batch', 64),
    epochImages: value('--epoch-images') ? count('--epoch-images', 1) : null,
    dir: value('--dir') ?? null,
    keep: argv.includes('--keep'),
    epoch: !argv.includes('--no-epoch'),
    given: argv.includes('--given'),
    json: argv.includes('--json')
  }
}

function runChild<T>(req: DatasetChildRequest): Promise<T> {
  const file = fileURLToPath(new URL('./dataset-child.ts', import.meta.url))
  return new Promise((resolve, reject) => {
    const child = fork(file, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] })
    let stderr = ''
    let settled = false
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
    child.on('message', (msg: { ok: true; result: T } | { ok: false; error: string }) => {
      settled = true
      if (msg.ok) resolve(msg.result)
      else reject(new Error(msg.error))
    })
    child.on('exit', (code) => {
      if (!settled) reject(new Error(`dataset bench child exited with code ${code}: ${stderr.trim().slice(-2000)}`))
    })
    child.send(req)
  })
}

const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const dir = args.dir ?? join(tmpdir(), `atelier-dataset-bench-${args.images}-${args.size}-${args.classes}`)
  const folder = join(dir, 'images')
  const outFile = join(dir, 'bench.atds')
  const log = (line: string): boolean => process.stderr.write(`${line}\n`)
  try {
    const g0 = performance.now()
    log(`generating ${fmt(args.images)} PNGs of ${args.size}×${args.size}×3 in ${folder} …`)
    const wrote = await generateImageFolder({
      dir: folder,
      count: args.images,
      size: args.size,
      classes: args.classes,
      onProgress: (done) => done % 10_000 === 0 && log(`  ${fmt(done)} written`)
    })
    log(wrote ? `generated in ${fmt((performance.now() - g0) / 1000, 1)} s (not counted)` : 'reusing the folder generated earlier')

    log('importing …')
    const given = args.given ? { size: args.size, color: 'rgb' as const } : {}
    const imported = await runChild<ImportMeasure>({ task: 'import', folder, outFile, ...given })
    log(`imported ${fmt(imported.imported)} images in ${fmt(imported.seconds, 1)} s`)
    let epoch: EpochMeasure | null = null
    if (args.epoch) {
      log(`training one epoch (${args.preset}, batch ${args.batch}, WASM) …`)
      epoch = await runChild<EpochMeasure>({
        task: 'epoch',
        file: outFile,
        preset: args.preset,
        batch: args.batch,
        maxImages: args.epochImages
      })
    }
    const result = {
      images: args.images,
      size: args.size,
      classes: args.classes,
      given: args.given,
      preset: args.preset,
      import: imported,
      epoch
    }
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
      return
    }
    const phases = Object.entries(imported.phases)
      .map(([p, s]) => `${p} ${fmt(s, 1)} s`)
      .join(', ')
    const lines = [
      `folder: ${fmt(args.images)} PNGs, ${args.size}×${args.size}×3, ${args.classes} classes → cache ${imported.shape.height}×${imported.shape.width}×${imported.shape.channels}`,
      `import${args.given ? ' (size and colour given)' : ''}: ${fmt(imported.imagesPerSec)} images/s (${fmt(imported.seconds, 1)} s: ${phases}), peak RSS ${fmt(imported.peakRssMb)} MB`
    ]
    if (epoch) {
      lines.push(
        `epoch (${args.preset}, ${epoch.backend} ×${epoch.threads}, batch ${args.batch}): ${fmt(epoch.images)} images in ${fmt(epoch.seconds, 1)} s = ${fmt(epoch.imagesPerSec)} images/s; cache loaded in ${fmt(epoch.loadSeconds, 1)} s (RSS ${fmt(epoch.rssAfterLoadMb)} MB); peak RSS ${fmt(epoch.peakRssMb)} MB`
      )
    }
    process.stdout.write(`${lines.join('\n')}\n`)
  } finally {
    if (!args.keep) rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`)
  process.exit(1)
})
