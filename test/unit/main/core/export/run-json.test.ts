/** The run JSON's confidences are read with the run's own class count. */
import { describe, expect, it } from 'vitest'
import type { RunDetail } from '@shared/run'
import { runJson } from '@main/core/export/run-json'

describe('runJson', () => {
  it("takes each image's confidence from its own row of a 3-class run's probabilities", () => {
    const probabilities = Float32Array.from([0.7, 0.2, 0.1, 0.1, 0.3, 0.6])
    const doc = JSON.parse(runJson({ id: 1 } as RunDetail, { predicted: Uint8Array.from([0, 2]), probabilities }))
    expect(doc.predictions).toEqual({ predicted: [0, 2], confidence: [0.7, 0.6] })
  })
})
