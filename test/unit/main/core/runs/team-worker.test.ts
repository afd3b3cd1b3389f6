/** What a worker does with each run the queue offers: train it, hand it back, or give up on it at the last offer. */
import { describe, expect, it, vi } from 'vitest'
import { conflict } from '@main/core/errors'
import { RUN_ATTEMPTS, type ClaimedRun, type RunQueue } from '@main/core/queue/run-queue'
import type { RunService } from '@main/core/runs/run-service'
import { RunHandedBack } from '@main/core/runs/team-runs'
import { startTeamWorker } from '@main/core/runs/team-worker'

/** A queue that offers the given claims, one after another, and records how each handler ended. */
function fakeQueue(claims: Array<Omit<ClaimedRun, 'signal'>>) {
  const endings: Array<'resolved' | 'threw'> = []
  const queue = {
    async work({ train }: { train: (run: ClaimedRun) => Promise<void> }) {
      for (const claim of claims) {
        await train({ ...claim, signal: new AbortController().signal }).then(
          () => endings.push('resolved'),
          () => endings.push('threw')
        )
      }
    },
    stop: async () => undefined
  } as unknown as RunQueue
  return { queue, endings }
}

const runsThat = (trainLeased: RunService['trainLeased']) => {
  const failUntaken = vi.fn(async () => true)
  return { runs: { trainLeased, failUntaken } as unknown as RunService, failUntaken }
}

describe('team worker', () => {
  it('gives a refused run back to the queue, and at the last offer ends it failed with the reason', async () => {
    const refuse = async (): Promise<never> => {
      throw conflict('Run 7 needs dataset cifar10, which this worker cannot use.')
    }
    const { runs, failUntaken } = runsThat(refuse)
    const { queue, endings } = fakeQueue([
      { runId: 7, jobId: 'j', attempt: 0 },
      { runId: 7, jobId: 'j', attempt: RUN_ATTEMPTS - 1 }
    ])
    const lines: string[] = []
    await startTeamWorker({ runs, queue, name: 'w@h:1', concurrency: 1, cores: 2, log: (l) => lines.push(l) })
    expect(endings).toEqual(['threw', 'resolved'])
    expect(failUntaken).toHaveBeenCalledTimes(1)
    expect(failUntaken).toHaveBeenCalledWith(7, 'Run 7 needs dataset cifar10, which this worker cannot use.')
    expect(lines.at(-1)).toBe(`run 7: failed, no worker could take it in ${RUN_ATTEMPTS} offers`)
  })

  it('hands a run back (the queue offers it again) without ending it, even at the last offer', async () => {
    const handBack = async (runId: number): Promise<never> => {
      throw new RunHandedBack(runId)
    }
    const { runs, failUntaken } = runsThat(handBack)
    const { queue, endings } = fakeQueue([{ runId: 3, jobId: 'j', attempt: RUN_ATTEMPTS - 1 }])
    const lines: string[] = []
    await startTeamWorker({ runs, queue, name: 'w@h:1', concurrency: 1, cores: 2, log: (l) => lines.push(l) })
    expect(endings).toEqual(['threw'])
    expect(failUntaken).not.toHaveBeenCalled()
    expect(lines).toEqual(['run 3: taken (attempt 21: the previous one stopped)', 'run 3: handed back to the queue'])
  })
})
