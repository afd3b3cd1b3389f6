/**
 * The models `npm run bench` trains: the four presets and the example architecture files that exercise the
 * other layer kinds (separable-cnn: depthwise and separable convolutions; small-resnet: residual blocks
 * with a strided projection and global average pooling). bench/pytorch_bench.py builds a twin of each.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArchitectureJson } from '@shared/architecture/parse-architecture'
import { PRESET_IDS, type PresetId } from '@shared/presets'
import type { BuildModelOptions } from '@main/core/trainer/architectures'
import { BENCH_INPUT } from './bench-data'

/** Example architectures benchmarked beside the presets, by file name in examples/architectures/. */
export const BENCH_ARCHITECTURES = ['separable-cnn', 'small-resnet'] as const

/** Every model name `--presets` accepts, presets first. */
export const BENCH_MODELS = [...PRESET_IDS, ...BENCH_ARCHITECTURES] as const
export type BenchModel = (typeof BENCH_MODELS)[number]

const isPreset = (name: BenchModel): name is PresetId => (PRESET_IDS as readonly string[]).includes(name)

/** What buildModel needs for `name` (without the seed): the preset, or the example file parsed. */
export function benchModelOptions(name: BenchModel): Omit<BuildModelOptions, 'seed'> {
  if (isPreset(name)) return { ...BENCH_INPUT, preset: name }
  const file = resolve(import.meta.dirname, '../examples/architectures', `${name}.json`)
  const parsed = parseArchitectureJson(readFileSync(file, 'utf8'))
  if (!parsed.ok) throw new Error(`${file}: ${parsed.issues.map((i) => i.message).join('; ')}`)
  return { ...BENCH_INPUT, architecture: parsed.architecture }
}
