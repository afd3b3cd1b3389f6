import { describe, expect, it } from 'vitest'
import { quitQuestion } from '@main/electron/quit-question'

describe('quitQuestion', () => {
  it('asks nothing when no run is training, even with runs queued', () => {
    expect(quitQuestion({ training: 0, queued: 0 })).toBeNull()
    expect(quitQuestion({ training: 0, queued: 3 })).toBeNull()
  })

  it('counts only training runs and says queued ones stay queued for the next start', () => {
    const q = quitQuestion({ training: 1, queued: 2 })
    expect(q?.message).toBe('1 run is still training. Quit Atelier?')
    expect(q?.detail).toMatch(/epochs finished so far are kept/)
    expect(q?.detail).toMatch(/2 queued runs stay queued and start when Atelier opens again/)
    expect(q?.buttons).toEqual(['Keep training', 'Cancel runs and quit'])
    expect(quitQuestion({ training: 2, queued: 0 })?.message).toBe('2 runs are still training. Quit Atelier?')
    expect(quitQuestion({ training: 2, queued: 0 })?.detail).not.toMatch(/queued/)
  })
})
