import { describe, expect, it } from 'vitest'
import { reactive, ref, shallowReactive } from 'vue'
import { toPlain } from '@renderer/api/plain'

describe('toPlain', () => {
  it('turns a reactive array (the router’s run ids) into one structuredClone accepts', () => {
    const ids = reactive([3, 5, 9])
    expect(() => structuredClone(ids)).toThrow()
    const plain = toPlain({ ids })
    expect(structuredClone(plain)).toEqual({ ids: [3, 5, 9] })
  })

  it('unwraps Proxies at every depth and keeps typed arrays as they are', () => {
    const bytes = new Uint8Array([1, 2, 3])
    const nested = reactive({ hparams: { preset: 'dense', layers: [{ units: 128 }] }, content: bytes })
    const plain = toPlain({ outer: nested, list: shallowReactive([ref(1).value]) })
    const cloned = structuredClone(plain)
    expect(cloned.outer.hparams.layers[0]?.units).toBe(128)
    expect(cloned.outer.content).toBeInstanceOf(Uint8Array)
    expect([...cloned.outer.content]).toEqual([1, 2, 3])
  })

  it('refuses functions and class instances with a sentence, as Electron would', () => {
    expect(() => toPlain({ f: () => 1 })).toThrow(/function cannot be sent/)
    class Box {
      #secret = 1
      get value(): number {
        return this.#secret
      }
    }
    expect(() => toPlain({ box: new Box() })).toThrow(/Box instance cannot be sent/)
  })
})
