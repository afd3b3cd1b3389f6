/** How errors become text a person reads: written once for the core, the shells and the renderer. */
import type { FieldError } from './hparams'

/** The message of anything thrown: an Error's message, anything else as a string. */
export const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/** Field errors as one line, `path: message; path: message`. */
export const formatFieldErrors = (errors: readonly FieldError[]): string => errors.map((e) => `${e.path}: ${e.message}`).join('; ')
