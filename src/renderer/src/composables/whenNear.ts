/**
 * Defers work for an element below the fold: `fn` runs once, when the element comes within `margin`
 * of the viewport or when the browser is next idle (at the latest after `idleTimeoutMs`), whichever
 * is first. A long view thus builds what is on screen first and the rest without a visible wait.
 */

export interface WhenNearOptions {
  /** How far outside the viewport the element already counts as near (CSS margin). */
  margin?: string
  /** The latest the work waits for an idle moment when the element stays off screen. */
  idleTimeoutMs?: number
}

/** Schedules `fn` (once) and returns a function that cancels it. Without IntersectionObserver, runs `fn` now. */
export function whenNear(el: Element, fn: () => void, { margin = '200px', idleTimeoutMs = 1000 }: WhenNearOptions = {}): () => void {
  if (typeof IntersectionObserver === 'undefined') {
    fn()
    return () => {}
  }
  let done = false
  let cancelIdle = (): void => {}
  const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && run(), { rootMargin: margin })
  function cancel(): void {
    done = true
    observer.disconnect()
    cancelIdle()
  }
  function run(): void {
    if (done) return
    cancel()
    fn()
  }
  observer.observe(el)
  if (typeof requestIdleCallback === 'function' && typeof cancelIdleCallback === 'function') {
    const cancelIdleCb = cancelIdleCallback
    const handle = requestIdleCallback(run, { timeout: idleTimeoutMs })
    cancelIdle = () => cancelIdleCb(handle)
  } else {
    const handle = setTimeout(run, idleTimeoutMs / 4)
    cancelIdle = () => clearTimeout(handle)
  }
  return cancel
}
