/** Short timed rounds of several warmed-up engines, interleaved so that both see the same machine load. */
import type { EngineHost } from './engine-hosts'
import type { RoundResult } from './engine-protocol'

/** A round is never shorter than this many batches, however fast the engines are. */
export const MIN_ROUND_BATCHES = 4

/** Images per round: whole batches that take the slower engine about `seconds`, from the engines' probes. */
export function roundImagesFor(probes: readonly (number | null)[], seconds: number, batch: number): number {
  const rates = probes.filter((r): r is number => r != null && r > 0)
  if (rates.length === 0) return MIN_ROUND_BATCHES * batch
  return Math.max(MIN_ROUND_BATCHES, Math.ceil((Math.min(...rates) * seconds) / batch)) * batch
}

/** How the rounds run. */
export interface InterleaveOptions {
  rounds: number
  /** Images every engine trains in every round. */
  roundImages: number
  /** Called after each measurement, for progress. */
  onRound?: (engine: EngineHost, round: number, result: RoundResult) => void
}

/**
 * Runs `rounds` rounds; in each, every engine trains `roundImages` once. Even rounds take the engines in the
 * given order, odd rounds in reverse (A B, B A, A B, …: ABBA), so a steady drift in load falls on both
 * alike. Returns each engine's results in round order, indexed like `engines`.
 */
export async function interleaveRounds(engines: readonly EngineHost[], options: InterleaveOptions): Promise<RoundResult[][]> {
  const results: RoundResult[][] = engines.map(() => [])
  for (let round = 0; round < options.rounds; round++) {
    const order = engines.map((_, i) => i)
    if (round % 2 === 1) order.reverse()
    for (const i of order) {
      const result = await engines[i].round(options.roundImages)
      results[i].push(result)
      options.onRound?.(engines[i], round, result)
    }
  }
  return results
}
