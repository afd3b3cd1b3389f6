/**
 * The packaged app's smoke check, as it runs inside the renderer: through `window.atelier` (the preload's
 * API, the same one the UI uses) it trains a small dense run to completion, then asks Try it's channel
 * (`models.predict`) for one test image. `smokeInPage` is sent to the page as source text by
 * `page.evaluate`, so it may use nothing but its argument and the page's globals.
 */

/** What the page is asked to do. */
export interface SmokeInput {
  /** Complete hyperparameters of the run (`defaultHparams('dense')` with few epochs and a subset). */
  hparams: { epochs: number } & Record<string, unknown>
  name: string
  /** How long training may take before the check gives up. */
  timeoutMs: number
  pollMs: number
}

/** What the page saw. */
export interface SmokeResult {
  runId: number
  status: string
  epochsDone: number
  backend: string | null
  testAccuracy: number | null
  /** The true label of the test image sent to Try it, and the class it predicted. */
  label: number
  predicted: number
  probabilities: number[]
}

/** Runs in the renderer (or any page with `window.atelier`): train, wait, predict. Throws with what went wrong. */
export async function smokeInPage(input: SmokeInput): Promise<SmokeResult> {
  type Reply = { ok: boolean; data?: unknown; error?: { message?: string } }
  const api = (globalThis as unknown as { atelier?: { invoke(channel: string, request: unknown): Promise<Reply> } }).atelier
  if (!api || typeof api.invoke !== 'function') throw new Error('window.atelier is missing in the page: the preload script did not run')
  const call = async <T>(channel: string, request: unknown): Promise<T> => {
    const reply = await api.invoke(channel, request)
    if (!reply.ok) throw new Error(`${channel} failed in the app: ${reply.error?.message ?? 'no message'}`)
    return reply.data as T
  }
  type Run = {
    id: number
    status: string
    epochsDone: number
    backend: string | null
    testAccuracy: number | null
    errorMessage: string | null
  }
  const started = await call<Run>('runs.start', { hparams: input.hparams, name: input.name })
  const deadline = Date.now() + input.timeoutMs
  let run = started
  for (;;) {
    run = await call<Run>('runs.get', { id: started.id })
    if (run.status === 'completed') break
    if (['failed', 'cancelled', 'interrupted'].includes(run.status)) {
      throw new Error(`run ${started.id} ended ${run.status} after ${run.epochsDone} epochs: ${run.errorMessage ?? 'no message'}`)
    }
    if (Date.now() > deadline) {
      throw new Error(
        `run ${started.id} did not complete within ${Math.round(input.timeoutMs / 1000)} s (status ${run.status}, ${run.epochsDone} epochs done)`
      )
    }
    await new Promise((resolve) => setTimeout(resolve, input.pollMs))
  }
  const testSet = await call<{ count: number; images: Uint8Array; labels: Uint8Array }>('dataset.testSet', {})
  if (!testSet.count) throw new Error('dataset.testSet returned no images')
  const probabilities = Array.from(await call<Float32Array>('models.predict', { id: started.id, pixels: testSet.images.slice(0, 784) }))
  const predicted = probabilities.indexOf(Math.max(...probabilities))
  return {
    runId: started.id,
    status: run.status,
    epochsDone: run.epochsDone,
    backend: run.backend,
    testAccuracy: run.testAccuracy,
    label: testSet.labels[0]!,
    predicted,
    probabilities
  }
}

/** Problems with a smoke result, in words; empty when the packaged app trained and predicted. */
export function judgeSmoke(result: SmokeResult, expected: { epochs: number; minTestAccuracy: number }): string[] {
  const problems: string[] = []
  if (result.status !== 'completed') problems.push(`the run is ${result.status}, not completed`)
  if (result.epochsDone !== expected.epochs) problems.push(`the run trained ${result.epochsDone} epochs, not ${expected.epochs}`)
  if (result.testAccuracy === null || !(result.testAccuracy >= expected.minTestAccuracy)) {
    problems.push(`test accuracy ${result.testAccuracy ?? 'missing'} is below ${expected.minTestAccuracy} (training did not learn)`)
  }
  const p = result.probabilities
  const sum = p.reduce((a, b) => a + b, 0)
  if (p.length !== 10 || p.some((x) => !Number.isFinite(x) || x < 0) || Math.abs(sum - 1) > 1e-3) {
    problems.push(`Try it returned ${p.length} values summing to ${sum.toFixed(4)}, not 10 class probabilities`)
  }
  return problems
}
