/** API channels of checkpoints and kept models: resume, train more, sizes, dropping checkpoints. */
import type { ApiHandlerDeps } from './handler-deps'
import type { ApiHandlers } from './api-router'

type CheckpointChannels = 'runs.resume' | 'runs.trainMore' | 'runs.modelInfo' | 'models.storage' | 'models.dropCheckpoints'

export function createCheckpointHandlers({ runs, models }: Pick<ApiHandlerDeps, 'runs' | 'models'>): Pick<ApiHandlers, CheckpointChannels> {
  return {
    'runs.resume': ({ id }) => runs.resume(id),
    'runs.trainMore': ({ id, epochs }) => runs.trainMore(id, epochs),
    'runs.modelInfo': async ({ id }) => {
      await runs.get(id)
      return models.modelInfo(id)
    },
    'models.storage': async () => ({ ...(await models.totalBytes()), dir: models.modelsDir }),
    'models.dropCheckpoints': () => models.dropCheckpoints()
  }
}
