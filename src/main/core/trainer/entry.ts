/**
 * Trainer process entry: started per run by the app (Electron utilityProcess) or the CLI and tests
 * (child_process.fork). It never touches the database; it posts events and the parent stores them.
 */
import { errorMessage } from '@shared/error-text'
import { connectToParent } from './port'
import { runTraining } from './run-training'

const port = connectToParent()
let activeRun: number | null = null
const cancelled = new Set<number>()

function finish(code: number): void {
  // Give the last message time to leave before the process goes.
  setTimeout(() => process.exit(code), 50)
}

port.onMessage((request) => {
  if (request.type === 'cancel') {
    cancelled.add(request.runId)
    return
  }
  if (activeRun !== null) {
    void port.post({ type: 'error', runId: request.runId, message: `this trainer is already training run ${activeRun}` })
    return
  }
  activeRun = request.runId
  runTraining({ request, post: port.post, isCancelled: () => cancelled.has(request.runId) })
    .then(() => finish(0))
    .catch(async (error: unknown) => {
      const message = errorMessage(error)
      await port.post({ type: 'error', runId: request.runId, message })
      finish(1)
    })
})
