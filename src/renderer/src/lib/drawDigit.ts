/** Draws one Fashion-MNIST test image; the general drawing (any shape, colour) is in datasetImage.ts. */
import { drawImage, FASHION_MNIST, imageRgba as datasetImageRgba, lookOf } from './datasetImage'

export const IMAGE_SIDE = 28
const FASHION_LOOK = lookOf(FASHION_MNIST)

/** RGBA pixels of image `index`: Fashion-MNIST ink (255) drawn dark on light, like the original plots. */
export function imageRgba(images: Uint8Array, index: number): Uint8ClampedArray {
  return datasetImageRgba(images, index, FASHION_LOOK)
}

export function drawDigit(canvas: HTMLCanvasElement, images: Uint8Array, index: number): void {
  drawImage(canvas, images, index, FASHION_LOOK)
}
