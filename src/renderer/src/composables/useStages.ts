/** Reveals a heavy view in stages, one per painted frame, so its first part shows before the rest is built. */
import { onBeforeUnmount, ref, type Ref } from 'vue'

export interface Stages {
  /** The highest stage revealed so far; -1 until `start()`. */
  stage: Ref<number>
  /** Reveals stage 0 now and each later stage after the previous one has been painted. */
  start(): void
}

/** Runs `fn` once the browser has painted the current frame (or soon, where there are no frames). */
function afterPaint(fn: () => void): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined
  let frame: number | undefined
  const later = (): void => {
    timer = setTimeout(fn, 0)
  }
  // A timeout queued from inside the frame callback runs after that frame is painted.
  if (typeof requestAnimationFrame === 'function') frame = requestAnimationFrame(later)
  else later()
  return () => {
    if (frame !== undefined) cancelAnimationFrame(frame)
    clearTimeout(timer)
  }
}

export function useStages(count: number): Stages {
  const stage = ref(-1)
  let cancel: (() => void) | null = null

  function next(): void {
    stage.value++
    cancel = stage.value < count - 1 ? afterPaint(next) : null
  }

  function start(): void {
    cancel?.()
    stage.value = -1
    next()
  }

  onBeforeUnmount(() => cancel?.())
  return { stage, start }
}
