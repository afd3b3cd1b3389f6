import { describe, expect, it } from 'vitest'
import { ApiRequestError, describeError } from '@renderer/api/client'

describe('describeError', () => {
  it('keeps a conflict as the core wrote it: one full stop, no unrelated "wait for the current operation" advice', () => {
    const err = new ApiRequestError('runs.cancel', { code: 'conflict', message: 'Only queued or running runs can be cancelled.' })
    expect(describeError(err, 'cancel the run')).toBe('Could not cancel the run: Only queued or running runs can be cancelled.')
  })

  it('adds a hint that fits the error once, never a log the person cannot see', () => {
    const failed = describeError(new ApiRequestError('export.run', { code: 'failed', message: 'disk full.' }), 'export the run')
    expect(failed).toBe('Could not export the run: disk full. Nothing was changed; try again.')
    expect(failed).not.toMatch(/\.\.|log/)
    const missing = describeError(
      new ApiRequestError('runs.get', { code: 'not_found', message: 'Run 5 does not exist (it may have been deleted).' }),
      'open the run'
    )
    expect(missing).toBe(
      'Could not open the run: Run 5 does not exist (it may have been deleted). Refresh the list to see what is there now.'
    )
    expect(describeError(new Error('boom.'), 'load the runs')).toBe('Could not load the runs: boom. Nothing was changed; try again.')
  })
})
