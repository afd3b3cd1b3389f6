/** Reads an architecture file for `arch check` and `train --arch`: the architecture, or one line saying what is wrong (exit 2). */
import { readFileSync } from 'node:fs'
import type { Architecture } from '@shared/architecture/architecture-schema'
import { issuesText, parseArchitectureJson } from '@shared/architecture/parse-architecture'
import { errorMessage } from '@shared/error-text'
import { UsageError } from './args'

/** The checked architecture in `file`; a file that cannot be read or parsed is a {@link UsageError} naming the file and its first problem. */
export function readArchitectureFile(file: string): Architecture {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${errorMessage(error)}`)
  }
  const parsed = parseArchitectureJson(text)
  if (!parsed.ok) throw new UsageError(`${file}: ${issuesText(parsed.issues)}`)
  return parsed.architecture
}
