/** Generated image folders for the folder-import tests: small PNG/JPEG/WebP/GIF files written with sharp. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { crc32 } from 'node:zlib'
import sharp from 'sharp'

export type ImageFormat = 'png' | 'jpeg' | 'webp' | 'gif'

export interface ImageSpec {
  width?: number
  height?: number
  /** RGB fill; distinct fills give distinct files. */
  rgb: [number, number, number]
  format?: ImageFormat
  /** Store a single gray channel (PNG/JPEG). */
  gray?: boolean
}

/** Encoded bytes of a plain image with a 4×4 white square in the corner (so crops are visible). */
export async function imageBytes({ width = 40, height = 30, rgb, format = 'png', gray = false }: ImageSpec): Promise<Buffer> {
  const [r, g, b] = rgb
  let image = sharp({ create: { width, height, channels: 3, background: { r, g, b } } }).composite([
    { input: { create: { width: 4, height: 4, channels: 3, background: '#ffffff' } }, left: 0, top: 0 }
  ])
  if (gray) image = sharp(await image.png().toBuffer()).toColourspace('b-w')
  return image.toFormat(format).toBuffer()
}

/** Writes `bytes` at `root/rel`, creating folders. */
export function put(root: string, rel: string, bytes: Uint8Array | string): string {
  const path = join(root, rel)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, bytes)
  return path
}

/** A fill distinct for every (class, index) pair. */
export const fill = (klass: number, i: number): [number, number, number] => [
  (klass * 80 + 20) % 256,
  (i * 23) % 256,
  (i * 7 + klass * 3) % 256
]

/**
 * `perClass` images per class under `root/<prefix><class>/`, cycling through the four formats;
 * returns the relative paths written.
 */
export async function writeClasses(
  root: string,
  classes: string[],
  options: { perClass: number; prefix?: string; offset?: number; gray?: boolean; formats?: ImageFormat[] }
): Promise<string[]> {
  const formats = options.formats ?? ['png', 'jpeg', 'webp', 'gif']
  const written: string[] = []
  for (const [c, name] of classes.entries()) {
    for (let i = 0; i < options.perClass; i++) {
      const format = formats[i % formats.length]
      const index = i + (options.offset ?? 0)
      const rel = `${options.prefix ?? ''}${name}/img-${String(index).padStart(3, '0')}.${format === 'jpeg' ? 'jpg' : format}`
      put(root, rel, await imageBytes({ rgb: fill(c, index), format, gray: options.gray }))
      written.push(rel)
    }
  }
  return written
}

/** A valid small PNG whose IHDR claims `width × height` (CRC fixed up), with the small image's data. */
export async function pngClaiming(width: number, height: number): Promise<Buffer> {
  const png = Buffer.from(await imageBytes({ rgb: [1, 2, 3] }))
  // IHDR: length at 8, type at 12, data at 16 (width, height, ...), CRC after the 13 data bytes.
  png.writeUInt32BE(width, 16)
  png.writeUInt32BE(height, 20)
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29)
  return png
}
