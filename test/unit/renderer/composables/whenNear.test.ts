import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { whenNear } from '@renderer/composables/whenNear'
import { installFakeViewport, type FakeViewport } from '../fixtures/fakeViewport'

describe('whenNear', () => {
  let viewport: FakeViewport
  beforeEach(() => (viewport = installFakeViewport()))
  afterEach(() => viewport.uninstall())

  it('runs once when the element comes near the viewport, and no longer waits for idle', () => {
    const el = document.createElement('div')
    let runs = 0
    whenNear(el, () => runs++, { margin: '200px' })
    expect(runs).toBe(0)
    expect(viewport.margins).toEqual(['200px'])
    viewport.scrollTo(el, false)
    expect(runs).toBe(0)
    viewport.scrollTo(el)
    expect(runs).toBe(1)
    expect(viewport.observed()).toEqual([])
    expect(viewport.pendingIdle()).toBe(0)
    viewport.idle()
    viewport.scrollTo(el)
    expect(runs).toBe(1)
  })

  it('runs when the browser is idle if the element stays off screen', () => {
    const el = document.createElement('div')
    let runs = 0
    whenNear(el, () => runs++)
    viewport.idle()
    expect(runs).toBe(1)
    expect(viewport.observed()).toEqual([])
  })

  it('does nothing once cancelled', () => {
    const el = document.createElement('div')
    let runs = 0
    const cancel = whenNear(el, () => runs++)
    cancel()
    viewport.scrollTo(el)
    viewport.idle()
    expect(runs).toBe(0)
    expect(viewport.observed()).toEqual([])
  })

  it('runs at once where there is no IntersectionObserver', () => {
    viewport.uninstall()
    const g = globalThis as Record<string, unknown>
    const saved = g['IntersectionObserver']
    g['IntersectionObserver'] = undefined
    try {
      let runs = 0
      whenNear(document.createElement('div'), () => runs++)
      expect(runs).toBe(1)
    } finally {
      g['IntersectionObserver'] = saved
    }
  })
})
