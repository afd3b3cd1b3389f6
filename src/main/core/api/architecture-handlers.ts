/** The `architectures.*` channels: saved, named, versioned architectures, served by the architecture library. */
import type { ApiHandlers } from './api-router'
import type { ApiHandlerDeps } from './handler-deps'

type ArchitectureChannel = Extract<keyof ApiHandlers, `architectures.${string}`>

export function createArchitectureHandlers({
  architectures
}: Pick<ApiHandlerDeps, 'architectures'>): Pick<ApiHandlers, ArchitectureChannel> {
  return {
    'architectures.list': () => architectures.list(),
    'architectures.get': ({ name, version }) => architectures.get(name, version),
    'architectures.save': ({ architecture }) => architectures.save(architecture),
    'architectures.delete': ({ name }) => architectures.delete(name)
  }
}
