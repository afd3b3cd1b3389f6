/** Image files decode to the model input: PNG exact, JPEG/WebP close; bad files get clear messages. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { ImageInputError, decodeImageBytes, decodeImageFile } from '@main/core/models/decode-image'
import { whitePng } from '../../../../helpers/plain-png'

/** A 28×28 grayscale "dataset image": a light blob on black. */
const pixels = Uint8Array.from({ length: 784 }, (_, i) => {
  const x = i % 28,
    y = Math.floor(i / 28)
  return Math.max(0, 255 - 12 * Math.hypot(x - 14, y - 12)) | 0
})
const encode = (format: 'png' | 'jpeg' | 'webp') => {
  const raw = sharp(Buffer.from(pixels), { raw: { width: 28, height: 28, channels: 1 } })
  // PNG stays lossless (a quality setting would make sharp quantise it to a palette).
  return (format === 'png' ? raw.png() : raw[format]({ quality: 95 })).toBuffer()
}

describe('decodeImageBytes', () => {
  it('gives back the exact pixels of a 28×28 PNG', async () => {
    expect(Array.from(await decodeImageBytes(await encode('png'), 'a.png'))).toEqual(Array.from(pixels))
  })

  it('reads JPEG and WebP within compression noise', async () => {
    for (const format of ['jpeg', 'webp'] as const) {
      const out = await decodeImageBytes(await encode(format), `a.${format}`)
      const maxDiff = Math.max(...Array.from(out, (v, i) => Math.abs(v - pixels[i])))
      expect(maxDiff, format).toBeLessThan(20)
    }
  })

  it('refuses a file that is not an image, naming it', async () => {
    await expect(decodeImageBytes(new TextEncoder().encode('hello, not a picture'), 'notes.png')).rejects.toThrow(
      /notes\.png is not an image Atelier can read .*PNG, JPEG or WebP/
    )
  })

  it('refuses a truncated PNG', async () => {
    const png = await encode('png')
    await expect(decodeImageBytes(png.subarray(0, png.length / 2), 'cut.png')).rejects.toBeInstanceOf(ImageInputError)
  })

  it('refuses an image with too many pixels before decoding it', async () => {
    const huge = await sharp({ create: { width: 10000, height: 8000, channels: 3, background: '#fff' } })
      .png()
      .toBuffer()
    await expect(decodeImageBytes(huge, 'poster.png')).rejects.toThrow(/poster\.png is 10000×8000 pixels; images up to 40 megapixels/)
  })

  it('refuses a 39 KB PNG of 39,999,999 × 1 pixels from its header, saying what the limit is', async () => {
    const strip = whitePng(39_999_999, 1)
    expect(strip.length).toBeLessThan(64 * 1024)
    await expect(decodeImageBytes(strip, 'strip.png')).rejects.toThrow(
      /^strip\.png is 39999999×1 pixels, 39999999 times as wide as tall; images up to 50 times longer on one side than the other are accepted; crop it to the object first\.$/
    )
  })

  it('decodes a blank picture (white PNG) to an empty input', async () => {
    expect(Math.max(...(await decodeImageBytes(whitePng(40, 30), 'white.png')))).toBe(0)
  })

  it('refuses a huge file before reading it, and a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atelier-img-'))
    const big = join(dir, 'big.png')
    writeFileSync(big, Buffer.alloc(30 * 1024 * 1024))
    await expect(decodeImageFile(big)).rejects.toThrow(/big\.png is 30\.0 MB/)
    await expect(decodeImageFile(join(dir, 'nope.png'))).rejects.toThrow(/nope\.png cannot be read \(ENOENT\)/)
  })

  it('refuses folders, devices and pipes before reading a byte, naming them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atelier-img-'))
    const folder = join(dir, 'somedir.png')
    mkdirSync(folder)
    await expect(decodeImageFile(folder)).rejects.toThrow(new RegExp(`^${folder}.* is a folder, not an image file`))
    await expect(decodeImageFile('/dev/zero')).rejects.toThrow(/^\/dev\/zero is a device, not an image file/)
    const fifo = join(dir, 'pipe.png')
    execFileSync('mkfifo', [fifo])
    await expect(decodeImageFile(fifo)).rejects.toThrow(/pipe\.png is a pipe, not an image file/)
  })
})
