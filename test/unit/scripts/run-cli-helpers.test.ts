/** The test helper that finds a CLI's trainer process: without pgrep on Windows, by a CIM query there. */
import { spawn } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { childPids } from '../../helpers/run-cli'

describe('childPids', () => {
  it('finds the process a child started, and nothing for a process without children', async () => {
    // A parent that forks one node child and reports its pid, then waits.
    const parent = spawn(
      process.execPath,
      [
        '-e',
        "const c = require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']); console.log(c.pid); setTimeout(() => {}, 60000)"
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] }
    )
    try {
      const grandchild = await new Promise<number>((resolve) =>
        parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim())))
      )
      expect(childPids(parent.pid!)).toEqual([grandchild])
      expect(childPids(grandchild)).toEqual([])
    } finally {
      parent.kill()
    }
  })
})
