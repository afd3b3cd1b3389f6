/** A small typed event emitter, written once for the core and the browser transport; every subscription returns its unsubscribe. */
export interface Emitter<M> {
  on<E extends keyof M>(event: E, listener: (payload: M[E]) => void): () => void
  emit<E extends keyof M>(event: E, payload: M[E]): void
}

export function createEmitter<M>(): Emitter<M> {
  const listeners = new Map<keyof M, Set<(payload: never) => void>>()
  return {
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      set.add(listener as (payload: never) => void)
      return () => void set.delete(listener as (payload: never) => void)
    },
    emit(event, payload) {
      // A copy: a listener that subscribes or unsubscribes while the event is delivered changes the next delivery, not this one.
      for (const listener of [...(listeners.get(event) ?? [])]) {
        try {
          ;(listener as (p: typeof payload) => void)(payload)
        } catch (error) {
          // One failing listener (e.g. a closed window) must not stop the others or the run.
          console.error(`listener for ${String(event)} failed:`, error)
        }
      }
    }
  }
}
