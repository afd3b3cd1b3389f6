/** The predictions CSV names the classes beside their indices, so a reader need not look them up. */
import { describe, expect, it } from 'vitest'
import { predictionsCsv } from '@main/core/export/predictions-csv'
import { CLASS_NAMES } from '@shared/classes'

describe('predictionsCsv', () => {
  it('writes the class name beside each class index', () => {
    const probabilities = new Float32Array(30).fill(0.05)
    probabilities[0 * 10 + 9] = 0.55
    probabilities[1 * 10 + 0] = 0.55
    probabilities[2 * 10 + 6] = 0.55
    const csv = predictionsCsv([9, 2, 6], { predicted: Uint8Array.from([9, 0, 6]), probabilities }, [...CLASS_NAMES])
    expect(csv.trim().split('\n')).toEqual([
      'index,label,label_name,predicted,predicted_name,confidence',
      '0,9,Ankle boot,9,Ankle boot,0.550000',
      '1,2,Pullover,0,T-shirt/top,0.550000',
      '2,6,Shirt,6,Shirt,0.550000'
    ])
  })

  it("names the classes of the run's own dataset, whatever their number and script", () => {
    // Three classes: three probabilities per image.
    const probabilities = Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.3, 0.6, 0.25, 0.5, 0.25])
    const csv = predictionsCsv([0, 2, 2], { predicted: Uint8Array.from([0, 2, 1]), probabilities }, ['cat', 'dog, big', 'お'])
    expect(csv.trim().split('\n')).toEqual([
      'index,label,label_name,predicted,predicted_name,confidence',
      '0,0,cat,0,cat,0.700000',
      '1,2,お,2,お,0.600000',
      '2,2,お,1,"dog, big",0.500000'
    ])
  })
})
