/** Display steps of a live run that read the store: one at a time, in the order the events came. */
export interface DisplayQueue {
  /** Queues a step; a failing step is reported on stderr and the next one still runs. */
  (step: () => unknown): void
  /** Resolves when every step queued so far has run. */
  idle(): Promise<void>
}

export function displayQueue(): DisplayQueue {
  let tail: Promise<void> = Promise.resolve()
  const queue = (step: () => unknown): void => {
    tail = tail
      .then(async () => {
        await step()
      })
      .catch((error: unknown) => {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
      })
  }
  queue.idle = () => tail
  return queue
}
