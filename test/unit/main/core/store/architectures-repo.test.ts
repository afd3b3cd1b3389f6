/** Saved architectures: equal JSON adds nothing, different JSON is the next version, a name deletes with all its versions. */
import { afterEach, beforeEach, expect, it } from 'vitest'
import type { RunStore } from '@main/core/store'
import { describeStore, openTestStore } from './fixtures/test-store'

let store: RunStore
beforeEach(async () => {
  store = await openTestStore()
})
afterEach(() => store.close())

const json = (filters: number): string => JSON.stringify({ layers: [{ filters, kind: 'conv2d' }, { kind: 'output' }], name: 'net' })

describeStore('architectures repository', () => {
  it('adds a version only when the JSON differs from the latest one', async () => {
    expect(await store.architectures.save('net', json(8), '2026-01-01T00:00:00.000Z')).toEqual({ version: 1, created: true })
    expect(await store.architectures.save('net', json(8), '2026-01-02T00:00:00.000Z')).toEqual({ version: 1, created: false })
    expect(await store.architectures.save('net', json(16), '2026-01-03T00:00:00.000Z')).toEqual({ version: 2, created: true })
    // Back to what version 1 held: still a new version, since the latest differs.
    expect(await store.architectures.save('net', json(8), '2026-01-04T00:00:00.000Z')).toEqual({ version: 3, created: true })

    expect(await store.architectures.get('net')).toEqual({ name: 'net', version: 3, json: json(8), createdAt: '2026-01-04T00:00:00.000Z' })
    expect((await store.architectures.get('net', 2))!.json).toBe(json(16))
    expect(await store.architectures.get('net', 9)).toBeNull()
    expect(await store.architectures.get('other')).toBeNull()
    expect((await store.architectures.versions('net')).map((v) => v.version)).toEqual([1, 2, 3])
  })

  it('lists the latest version of each name with its version count', async () => {
    await store.architectures.save('b-net', json(4), '2026-01-01T00:00:00.000Z')
    await store.architectures.save('a-net', json(8), '2026-01-01T00:00:00.000Z')
    await store.architectures.save('a-net', json(16), '2026-01-02T00:00:00.000Z')
    const list = await store.architectures.list()
    expect(list.map(({ name, version, versions }) => ({ name, version, versions }))).toEqual([
      { name: 'a-net', version: 2, versions: 2 },
      { name: 'b-net', version: 1, versions: 1 }
    ])
    expect(list[0].json).toBe(json(16))
  })

  it('gives racing saves of one name distinct versions', async () => {
    const saved = await Promise.all([4, 8, 12].map((f) => store.architectures.save('net', json(f), '2026-01-01T00:00:00.000Z')))
    expect(saved.map((s) => s.version).sort()).toEqual([1, 2, 3])
  })

  it('deletes every version of a name and nothing else', async () => {
    await store.architectures.save('net', json(8), '2026-01-01T00:00:00.000Z')
    await store.architectures.save('net', json(16), '2026-01-01T00:00:00.000Z')
    await store.architectures.save('kept', json(8), '2026-01-01T00:00:00.000Z')
    expect(await store.architectures.delete('net')).toBe(2)
    expect(await store.architectures.delete('net')).toBe(0)
    expect((await store.architectures.list()).map((a) => a.name)).toEqual(['kept'])
    // A name deleted starts again at version 1.
    expect(await store.architectures.save('net', json(32), '2026-01-01T00:00:00.000Z')).toEqual({ version: 1, created: true })
  })
})
