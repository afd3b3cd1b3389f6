/** What a model file says of its dataset: recorded refs round-trip, files without one (or a damaged one) mean Fashion-MNIST. */
import { describe, expect, it } from 'vitest'
import { builtinRef, type DatasetRef } from '@shared/dataset'
import { decodeModelFile, encodeModelFile, toModelArtifacts } from '@main/core/models/model-file'
import { datasetOfArtifacts, datasetOfModelFile, modelInterface } from '@main/core/models/model-dataset'

const cifar = builtinRef('cifar10') as DatasetRef
const topology = (input: number[], units: number) => ({
  class_name: 'Sequential',
  config: {
    name: 'm',
    layers: [
      { class_name: 'Flatten', config: { batch_input_shape: [null, ...input] } },
      { class_name: 'Dense', config: { units } }
    ]
  }
})

const fileWith = (extra: Record<string, unknown>, input = [32, 32, 3], units = 10) =>
  decodeModelFile(
    encodeModelFile({
      kind: 'model',
      epoch: 1,
      owner: { runId: 1, storeId: 's' },
      modelTopology: topology(input, units),
      weightSpecs: [],
      sections: { weights: new Uint8Array(4) },
      extra
    })
  )

describe('the dataset a model file records', () => {
  it('round-trips through the file and the ModelArtifacts inference and export read', () => {
    const file = fileWith({ dataset: cifar })
    expect(datasetOfModelFile(file)).toEqual(cifar)
    const artifacts = toModelArtifacts(file)
    expect(datasetOfArtifacts(artifacts)).toEqual(cifar)
    expect(modelInterface(artifacts)).toEqual({ shape: { height: 32, width: 32, channels: 3 }, classCount: 10 })
  })

  it('is Fashion-MNIST for files that record none, or a damaged entry', () => {
    expect(datasetOfModelFile(fileWith({}, [28, 28, 1]))).toEqual(builtinRef('fashion-mnist'))
    expect(datasetOfModelFile(fileWith({ dataset: { name: 'x', shape: { height: 0 } } }))).toEqual(builtinRef('fashion-mnist'))
    expect(datasetOfArtifacts(toModelArtifacts(fileWith({}, [28, 28, 1])))).toEqual(builtinRef('fashion-mnist'))
  })

  it('takes the input shape and class count from the model itself', () => {
    const artifacts = toModelArtifacts(fileWith({ dataset: cifar }, [20, 12, 1], 7))
    expect(modelInterface(artifacts)).toEqual({ shape: { height: 20, width: 12, channels: 1 }, classCount: 7 })
  })
})
