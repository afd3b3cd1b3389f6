import { describe, expect, it } from 'vitest'
import { h } from 'vue'
import { mount } from '@vue/test-utils'
import { NConfigProvider, NInput, NInputNumber } from 'naive-ui'
import { APP_LOCALE } from '@renderer/lib/appLocale'

describe('app locale', () => {
  it('leaves empty boxes without Naive UI’s "Please Input", and keeps a field’s own placeholder', () => {
    const wrapper = mount(() =>
      h(NConfigProvider, { locale: APP_LOCALE }, () => [
        h(NInputNumber, { value: null }),
        h(NInput, { value: '', placeholder: 'optional' })
      ])
    )
    const placeholders = wrapper.findAll('input').map((i) => i.attributes('placeholder') ?? '')
    expect(placeholders).toEqual(['', 'optional'])
    expect(wrapper.text()).not.toContain('Please')
    wrapper.unmount()
  })
})
