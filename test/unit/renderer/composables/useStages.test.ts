import { describe, expect, it } from 'vitest'
import { defineComponent, h, nextTick } from 'vue'
import { mount } from '@vue/test-utils'
import { useStages } from '@renderer/composables/useStages'
import { flush } from '../fixtures/mountWithProviders'

const Staged = defineComponent({
  setup() {
    const { stage, start } = useStages(3)
    return { stage, start }
  },
  render() {
    return h('div', [
      this.stage >= 0 ? h('p', { class: 'first' }) : null,
      this.stage >= 1 ? h('p', { class: 'second' }) : null,
      this.stage >= 2 ? h('p', { class: 'third' }) : null
    ])
  }
})

describe('useStages', () => {
  it('shows the first part at once and the later parts on later turns, never all in one go', async () => {
    const w = mount(Staged)
    expect(w.find('.first').exists()).toBe(false)
    w.vm.start()
    await nextTick()
    expect(w.find('.first').exists()).toBe(true)
    expect(w.find('.second').exists()).toBe(false)
    for (let i = 0; i < 10 && !w.find('.third').exists(); i++) await flush()
    expect(w.findAll('p')).toHaveLength(3)
    w.unmount()
  })

  it('stops revealing once the view is gone', async () => {
    const w = mount(Staged)
    w.vm.start()
    const vm = w.vm
    w.unmount()
    for (let i = 0; i < 5; i++) await flush()
    expect(vm.stage).toBe(0)
  })
})
