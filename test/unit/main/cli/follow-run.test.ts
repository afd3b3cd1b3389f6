/** `train` warns about unofficial Fashion-MNIST files, never about a run on another dataset (its hash is its own). */
import { describe, expect, it } from 'vitest'
import { builtinRef } from '@shared/dataset'
import type { RunDetail } from '@shared/run'
import { unofficialDataWarning } from '@main/cli/follow-run'

const run = (dataset: string, datasetChecksum: string) => ({ dataset: builtinRef(dataset)!, datasetChecksum }) as RunDetail

describe('unofficial data warning', () => {
  it('warns for Fashion-MNIST files whose hash is not the official one, not for MNIST or the official files', () => {
    expect(unofficialDataWarning(run('fashion-mnist', 'f'.repeat(64)))).toMatch(/not the official Fashion-MNIST files/)
    expect(unofficialDataWarning(run('fashion-mnist', '6e1b8248a371b684a8915a1bed4b38233fddf371eb4aedfbefbeecd3adf25313'))).toBeNull()
    expect(unofficialDataWarning(run('mnist', 'f'.repeat(64)))).toBeNull()
  })
})
