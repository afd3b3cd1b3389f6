/**
 * Generates an image folder for the dataset bench: `count` PNGs of `size × size × 3`, one subfolder per
 * class (image i in class i mod `classes`). Each image is a class colour with a seeded grid of 8×8
 * blocks of other shades and a gradient: distinct files that compress like simple photos (1–3 KB).
 * A `.complete` marker lets a later run reuse the folder.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { createRng } from '@main/core/dataset/random'

export interface GenerateOptions {
  dir: string
  count: number
  size: number
  classes: number
  onProgress?: (done: number) => void
}

const MARKER = '.complete'

/** The raw RGB bytes of image `i`. */
function pixels(i: number, size: number, classes: number): Buffer {
  const rng = createRng(i + 1)
  const c = i % classes
  const base = [(c * 97) % 256, (c * 53 + 80) % 256, (c * 29 + 160) % 256]
  const blocks = Math.max(1, size >> 3)
  const shade = Array.from({ length: blocks * blocks }, () => Math.floor(rng() * 96) - 48)
  const out = Buffer.alloc(size * size * 3)
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const s = shade[Math.min(blocks - 1, y >> 3) * blocks + Math.min(blocks - 1, x >> 3)] + ((x + y) * 32) / size
      for (let k = 0; k < 3; k++) out[(y * size + x) * 3 + k] = Math.max(0, Math.min(255, base[k] + s))
    }
  }
  return out
}

/** Writes the folder unless a complete one of the same parameters is there; returns whether it wrote. */
export async function generateImageFolder({ dir, count, size, classes, onProgress }: GenerateOptions): Promise<boolean> {
  const stamp = JSON.stringify({ count, size, classes })
  const marker = join(dir, MARKER)
  if (existsSync(marker) && readFileSync(marker, 'utf8') === stamp) return false
  for (let c = 0; c < classes; c++) mkdirSync(join(dir, `class-${String(c).padStart(2, '0')}`), { recursive: true })
  let next = 0
  let done = 0
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++
      const file = join(dir, `class-${String(i % classes).padStart(2, '0')}`, `img-${String(i).padStart(6, '0')}.png`)
      await sharp(pixels(i, size, classes), { raw: { width: size, height: size, channels: 3 } })
        .png()
        .toFile(file)
      if (++done % 1000 === 0) onProgress?.(done)
    }
  }
  await Promise.all(Array.from({ length: 8 }, worker))
  writeFileSync(marker, stamp)
  return true
}
