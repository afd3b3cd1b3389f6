import { describe, expect, it } from 'vitest'
import { HELP } from '@main/cli/help'

/** The help text of each command: its line and the indented lines below it, up to the next command. */
function blocks(): Map<string, string> {
  const out = new Map<string, string>()
  let current: string | null = null
  for (const line of HELP.split('\n')) {
    const command = /^ {2}([a-z-]+)/.exec(line)?.[1]
    if (command) out.set((current = command), line)
    else if (current && /^ {3,}/.test(line)) out.set(current, `${out.get(current)}\n${line}`)
    else current = null
  }
  return out
}

describe('cli --help', () => {
  it('lists --repeats under train, and drop-checkpoints without flags it does not take', () => {
    const b = blocks()
    expect(b.get('train')).toContain('--repeats N')
    expect(b.get('drop-checkpoints')).not.toMatch(/--\w/)
  })
})
