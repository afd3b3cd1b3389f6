/** The core's events go through the one typed emitter the renderer's browser transport uses too. */
export { createEmitter, type Emitter } from '@shared/emitter'
