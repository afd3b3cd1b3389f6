/** The 28×28 the model sees: exact for dataset-sized images, inverted on light paper, object fitted and centred. */
import { describe, expect, it } from 'vitest'
import {
  ImageLimitError,
  MAX_IMAGE_ASPECT,
  MAX_IMAGE_PIXELS,
  imageLimitProblem,
  isBlankInput,
  pngSize,
  coverInput,
  inkBoxInput,
  inputToRgba,
  prepareModelInput,
  type RgbaImage
} from '@shared/model-input'
import { BUILTINS } from '@shared/dataset'

/** An RGBA image from a gray-level function. */
function image(width: number, height: number, gray: (x: number, y: number) => number, alpha = () => 255): RgbaImage {
  const data = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4
      data.set([gray(x, y), gray(x, y), gray(x, y), alpha()], i)
    }
  }
  return { width, height, data }
}

/** What a model of Fashion-MNIST sees for `image`, by the dataset record's preprocessing (28×28 ink box). */
const FASHION = BUILTINS['fashion-mnist'].preprocessing
const toModelInput = (img: RgbaImage): Uint8Array => inkBoxInput(img, FASHION.height, FASHION.width)

const at = (out: Uint8Array, x: number, y: number): number => out[y * FASHION.width + x]

describe('toModelInput', () => {
  it('returns a 28×28 dark-background image unchanged', () => {
    const gray = (x: number, y: number) => (x > 5 && x < 20 && y > 3 ? (x * 13 + y * 7) % 256 : 0)
    const out = toModelInput(image(28, 28, gray))
    for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) expect(at(out, x, y)).toBe(gray(x, y))
  })

  it('inverts a dark object on white paper', () => {
    const out = toModelInput(image(28, 28, (x, y) => (x >= 10 && x < 18 && y >= 10 && y < 18 ? 0 : 255)))
    expect(at(out, 0, 0)).toBe(0)
    expect(at(out, 14, 14)).toBe(255)
  })

  it('cuts a large picture to its object, scales the longest edge to 28 and centres it', () => {
    // A 40×20 light bar on black, far off-centre in a 300×200 picture.
    const out = toModelInput(image(300, 200, (x, y) => (x >= 200 && x < 240 && y >= 20 && y < 40 ? 200 : 0)))
    const rows = [...Array(28).keys()].filter((y) => [...Array(28).keys()].some((x) => at(out, x, y) > 0))
    const cols = [...Array(28).keys()].filter((x) => rows.some((y) => at(out, x, y) > 0))
    expect(cols.length).toBe(28)
    expect(rows.length).toBe(14)
    // Centred: as many empty rows above as below.
    expect(rows[0]).toBe(27 - rows[rows.length - 1])
    expect(at(out, 14, 14)).toBe(255)
  })

  it('treats transparent pixels as paper, so a dark drawing on transparency reads as light on black', () => {
    const out = toModelInput(
      image(
        56,
        56,
        () => 0,
        (() => {
          let i = 0
          return () => {
            const x = i % 56,
              y = Math.floor(i / 56)
            i++
            return x >= 20 && x < 36 && y >= 10 && y < 46 ? 255 : 0
          }
        })()
      )
    )
    expect(at(out, 14, 14)).toBe(255)
    expect(at(out, 0, 14)).toBe(0)
  })

  it('gives an empty image for a blank picture', () => {
    expect(Math.max(...toModelInput(image(100, 80, () => 255)))).toBe(0)
  })

  it('refuses a 39,999,999 × 1 strip before touching its pixels, saying what the limit is', () => {
    // Only four bytes stand in for 160 MB of pixels: a refusal must come before any pixel is read.
    const strip = { width: 39_999_999, height: 1, data: new Uint8Array(4) }
    expect(() => toModelInput(strip)).toThrow(ImageLimitError)
    expect(() => toModelInput(strip)).toThrow(/39999999×1 pixels, 39999999 times as wide as tall; images up to 50 times longer on one side/)
    expect(() => toModelInput({ width: 1, height: 200, data: new Uint8Array(800) })).toThrow(/200 times as tall as wide/)
  })

  it('still fits an object on a long thin strip within the aspect limit', () => {
    // 50:1, light paper, one dark bar in the middle: inverted and fitted like any picture.
    const width = 100 * MAX_IMAGE_ASPECT
    const out = toModelInput(image(width, 100, (x, y) => (x >= 2450 && x < 2550 && y >= 25 && y < 75 ? 0 : 255)))
    expect(at(out, 14, 14)).toBe(255)
    expect(at(out, 0, 0)).toBe(0)
  })

  it('finds the background of a large picture from its border median (object touching the border)', () => {
    // Dark object covering the left third of light paper, reaching the top and bottom edges.
    const out = toModelInput(image(600, 400, (x) => (x < 200 ? 30 : 230)))
    expect(isBlankInput(out)).toBe(false)
    expect(at(out, 14, 14)).toBe(255)
  })
})

describe('isBlankInput', () => {
  it('calls all-black, all-white, transparent and 1×1 pictures blank, and a drawing not', () => {
    expect(isBlankInput(toModelInput(image(100, 80, () => 0)))).toBe(true)
    expect(isBlankInput(toModelInput(image(100, 80, () => 255)))).toBe(true)
    expect(isBlankInput(toModelInput(image(28, 28, () => 255)))).toBe(true)
    expect(isBlankInput(toModelInput(image(28, 28, () => 128)))).toBe(true)
    expect(
      isBlankInput(
        toModelInput(
          image(
            64,
            64,
            () => 0,
            () => 0
          )
        )
      )
    ).toBe(true)
    expect(isBlankInput(toModelInput(image(1, 1, () => 90)))).toBe(true)
    expect(isBlankInput(toModelInput(image(56, 56, (x, y) => (Math.abs(x - y) < 3 ? 255 : 0))))).toBe(false)
  })
})

describe('imageLimitProblem', () => {
  it('names huge files and images and passes ordinary ones', () => {
    expect(imageLimitProblem({ bytes: 100 * 1024 * 1024 })).toMatch(/100\.0 MB/)
    expect(imageLimitProblem({ width: 10000, height: 10000 })).toMatch(/10000×10000 pixels/)
    expect(imageLimitProblem({ width: 0, height: 5 })).toMatch(/no pixels/)
    expect(imageLimitProblem({ width: 5000, height: 100 })).toBeNull()
    expect(imageLimitProblem({ width: 5001, height: 100 })).toMatch(/crop it to the object first/)
    expect(imageLimitProblem({ bytes: 5000, width: 640, height: 480 })).toBeNull()
    expect(MAX_IMAGE_PIXELS).toBeGreaterThan(640 * 480)
  })
})

describe('pngSize', () => {
  it('reads a PNG header so the page can refuse a strip before decoding it, and ignores other files', () => {
    const head = new Uint8Array(24)
    head.set([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82])
    new DataView(head.buffer).setUint32(16, 39_999_999)
    new DataView(head.buffer).setUint32(20, 1)
    const size = pngSize(head)
    expect(size).toEqual({ width: 39_999_999, height: 1 })
    expect(imageLimitProblem(size!)).toMatch(/50 times longer/)
    expect(pngSize(new TextEncoder().encode('GIF89a and some more bytes here'))).toBeNull()
    expect(pngSize(head.subarray(0, 10))).toBeNull()
  })
})

/** An RGBA image from a colour function. */
function colour(width: number, height: number, rgb: (x: number, y: number) => [number, number, number], alpha = 255): RgbaImage {
  const data = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([...rgb(x, y), alpha], (y * width + x) * 4)
  return { width, height, data }
}

describe('prepareModelInput (cover)', () => {
  const rgb16 = { fit: 'cover', height: 16, width: 16, color: 'rgb', scale: 1 / 255 } as const

  it('turns a 100×50 red picture into 16×16 RGB, all red', () => {
    const out = prepareModelInput(
      colour(100, 50, () => [255, 0, 0]),
      rgb16
    )
    expect(out).toHaveLength(16 * 16 * 3)
    for (let p = 0; p < 256; p++) expect([out[p * 3], out[p * 3 + 1], out[p * 3 + 2]]).toEqual([255, 0, 0])
  })

  it('grayscales with the luminance weights of the ink-box rule', () => {
    const out = prepareModelInput(
      colour(100, 50, () => [255, 0, 0]),
      { ...rgb16, color: 'gray' }
    )
    expect(out).toHaveLength(256)
    expect(new Set(out)).toEqual(new Set([Math.round(0.299 * 255)]))
  })

  it('scales the shorter side to fit and cuts the middle out: the left and right thirds of a wide picture are cropped', () => {
    // 300×100: blue left third, green middle, red right third; the 16×16 crop is the middle square.
    const out = coverInput(
      colour(300, 100, (x) => (x < 100 ? [0, 0, 255] : x < 200 ? [0, 255, 0] : [255, 0, 0])),
      { height: 16, width: 16, color: 'rgb' }
    )
    for (let p = 0; p < 256; p++) expect([out[p * 3], out[p * 3 + 1], out[p * 3 + 2]]).toEqual([0, 255, 0])
  })

  it('keeps a picture of exactly the model size byte for byte, row-major HWC', () => {
    const pixel = (x: number, y: number): [number, number, number] => [(x * 17) % 256, (y * 29) % 256, (x * y) % 256]
    const out = coverInput(colour(16, 8, pixel), { height: 8, width: 16, color: 'rgb' })
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 16; x++) expect(Array.from(out.subarray((y * 16 + x) * 3, (y * 16 + x) * 3 + 3))).toEqual(pixel(x, y))
  })

  it('paints transparency white and refuses a strip beyond the limits', () => {
    const out = coverInput(
      colour(20, 20, () => [0, 0, 0], 0),
      { height: 4, width: 4, color: 'rgb' }
    )
    expect(new Set(out)).toEqual(new Set([255]))
    expect(() => prepareModelInput({ width: 39_999_999, height: 1, data: new Uint8Array(0) }, rgb16)).toThrow(ImageLimitError)
  })

  it('uses the MNIST family’s ink-box rule for ink-box models, byte for byte as toModelInput', () => {
    const picture = image(300, 200, (x, y) => (x >= 200 && x < 240 && y >= 20 && y < 40 ? 200 : 0))
    const ink = { fit: 'ink-box', height: 28, width: 28, color: 'gray', scale: 1 / 255 } as const
    expect(prepareModelInput(picture, ink)).toEqual(toModelInput(picture))
    expect(inkBoxInput(picture, 28, 28)).toEqual(toModelInput(picture))
  })

  it('draws a colour input as RGBA and a gray one as gray', () => {
    expect(Array.from(inputToRgba(Uint8Array.from([1, 2, 3]), { height: 1, width: 1, channels: 3 }))).toEqual([1, 2, 3, 255])
    expect(Array.from(inputToRgba(Uint8Array.from([9]), { height: 1, width: 1, channels: 1 }))).toEqual([9, 9, 9, 255])
  })
})
