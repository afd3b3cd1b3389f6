/** Draws one 28×28 test image from the test-set bytes onto a canvas. */
export const IMAGE_SIDE = 28
const PIXELS = IMAGE_SIDE * IMAGE_SIDE

/** RGBA pixels of image `index`: Fashion-MNIST ink (255) drawn dark on light, like the original plots. */
export function imageRgba(images: Uint8Array, index: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(PIXELS * 4)
  const base = index * PIXELS
  for (let p = 0; p < PIXELS; p++) {
    const v = 255 - (images[base + p] ?? 0)
    out[p * 4] = v
    out[p * 4 + 1] = v
    out[p * 4 + 2] = v
    out[p * 4 + 3] = 255
  }
  return out
}

export function drawDigit(canvas: HTMLCanvasElement, images: Uint8Array, index: number): void {
  const ctx = canvas.getContext('2d')
  if (!ctx || typeof ImageData === 'undefined') return
  ctx.putImageData(new ImageData(imageRgba(images, index) as Uint8ClampedArray<ArrayBuffer>, IMAGE_SIDE, IMAGE_SIDE), 0, 0)
}
