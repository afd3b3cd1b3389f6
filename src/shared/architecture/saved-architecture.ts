/** Architectures saved in the run store by name, each edit a new version: what crosses the API about them. */
import { z } from 'zod'
import type { Architecture } from './architecture-schema'

/** A saved architecture's name: the `name` of the architecture itself. */
export const savedArchitectureNameSchema = z.string().trim().min(1).max(100)

/** The latest version of a saved architecture, for lists and pickers. */
export interface SavedArchitectureSummary {
  name: string
  /** The latest version (1, 2, …). */
  version: number
  /** How many versions the name has. */
  versions: number
  /** When the latest version was saved (ISO 8601). */
  createdAt: string
  architecture: Architecture
}

/** One version of a saved architecture, with the list of all versions of its name. */
export interface SavedArchitecture {
  name: string
  version: number
  createdAt: string
  architecture: Architecture
  /** Every version of the name, oldest first. */
  versions: { version: number; createdAt: string }[]
}

/** What saving found: a new version, or the latest one unchanged (`created` false). */
export interface SavedArchitectureResult {
  name: string
  version: number
  created: boolean
}

/** `NAME` or `NAME@VERSION` (the last `@` followed by digits only): how the CLI names a saved architecture. */
export function parseArchitectureRef(text: string): { name: string; version?: number } {
  const at = /^(.*)@(\d+)$/.exec(text)
  return at ? { name: at[1], version: Number(at[2]) } : { name: text }
}
