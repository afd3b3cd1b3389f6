/** `compare` prints the refusal sentence, and no test, for runs on different test sets. */
import { describe, expect, it } from 'vitest'
import type { Significance } from '@shared/significance'
import { formatSignificance } from '@main/cli/compare-command'

const side = (id: number, accuracy: number) => ({
  kind: 'run' as const,
  id,
  label: `#${id} run`,
  accuracy,
  interval: { low: accuracy - 0.01, high: accuracy + 0.01 },
  intervalMethod: 'wilson' as const,
  n: 10_000,
  memberAccuracies: []
})

describe('compare output', () => {
  it('shows both accuracies and the reason, without a p-value, when the test sets differ', () => {
    const refused: Significance = {
      a: side(1, 0.98),
      b: side(2, 0.88),
      test: 'mcnemar-exact',
      counts: null,
      p: null,
      t: null,
      df: null,
      verdict: 'different-test-sets',
      sentence:
        '#1 run trained on MNIST, #2 run on Fashion-MNIST: their test sets differ, so no paired test is possible; accuracies are shown side by side.'
    }
    const text = formatSignificance(refused)
    expect(text).toContain('98.00%')
    expect(text).toContain('88.00%')
    expect(text.trim().split('\n').at(-1)).toBe(refused.sentence)
    expect(text).not.toMatch(/McNemar|Welch|p = /)
  })
})
