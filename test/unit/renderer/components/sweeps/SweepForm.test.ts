/** New sweep: optimizers, schedules, augmentations and presets ticked reach sweeps.start as lists; the default alone adds none. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { VueWrapper } from '@vue/test-utils'
import type { SweepSpec } from '@shared/sweep'
import type { SweepSummary } from '@shared/group'
import SweepForm from '@renderer/components/sweeps/SweepForm.vue'
import { installFakeAtelier, type FakeAtelier } from '../../fixtures/fakeAtelier'
import { flush, mountWithProviders } from '../../fixtures/mountWithProviders'

const summary = (spec: SweepSpec): SweepSummary => ({
  id: 5,
  name: 'sweep',
  preset: spec.preset,
  createdAt: '2025-01-01T00:00:00.000Z',
  spec,
  runCount: 1,
  completedCount: 0,
  best: null
})

describe('SweepForm', () => {
  let fake: FakeAtelier
  let wrapper: VueWrapper

  beforeEach(() => {
    fake = installFakeAtelier({
      'sweeps.start': (req) => summary(req.spec),
      'sweeps.list': () => [],
      'groups.list': () => [],
      'runs.list': () => []
    })
    location.hash = ''
  })
  afterEach(() => wrapper?.unmount())

  const tick = async (testid: string) => {
    await wrapper.get(`[data-testid="${testid}"]`).trigger('click')
    await flush()
  }
  const runCount = () => wrapper.get('[data-testid="sweep-run-count"]').text()
  const start = async (): Promise<SweepSpec> => {
    await tick('start-sweep')
    const [request] = fake.callsTo('sweeps.start') as { spec: SweepSpec }[]
    return request!.spec
  }

  it('sends a sweep without the new lists while only the defaults are ticked, as before', async () => {
    wrapper = mountWithProviders(SweepForm)
    await flush()
    expect(runCount()).toMatch(/6 configurations × 1 seed = 6 runs/)
    const spec = await start()
    expect(spec.preset).toBe('dense')
    for (const key of ['optimizers', 'schedules', 'augments', 'presets', 'architectures']) expect(spec).not.toHaveProperty(key)
  })

  it('multiplies the ticked optimizers, schedules, augmentations and presets into the grid and sends them', async () => {
    wrapper = mountWithProviders(SweepForm)
    await flush()
    await tick('sweep-optimizer-sgd')
    await tick('sweep-schedule-cosine')
    await tick('sweep-augment-3')
    await tick('sweep-preset-cnn-bn')
    expect(runCount()).toMatch(/96 configurations × 1 seed = 96 runs/)
    const spec = await start()
    expect(spec).toMatchObject({
      preset: 'dense',
      presets: ['dense', 'cnn-bn'],
      optimizers: ['adam', 'sgd'],
      schedules: ['constant', 'cosine'],
      augments: [
        { shift: 0, flip: false, erase: 0 },
        { shift: 2, flip: true, erase: 0 }
      ]
    })
  })

  it('refuses an empty choice under its field, and a grid over the run limit, queueing nothing', async () => {
    wrapper = mountWithProviders(SweepForm)
    await flush()
    await tick('sweep-optimizer-adam')
    expect(wrapper.text()).toContain('Give at least one optimizer')
    expect(wrapper.get('[data-testid="start-sweep"]').attributes('disabled')).toBeDefined()
    for (const o of ['adam', 'adamw', 'sgd', 'rmsprop']) await tick(`sweep-optimizer-${o}`)
    for (const s of ['step', 'cosine', 'onecycle']) await tick(`sweep-schedule-${s}`)
    // 3 learning rates × 2 batch sizes × 4 optimizers × 4 schedules.
    expect(runCount()).toMatch(/= 96 runs/)
    await tick('sweep-preset-cnn-bn')
    expect(runCount()).toMatch(/= 192 runs/)
    await tick('sweep-preset-cnn-deep')
    expect(wrapper.get('[data-testid="sweep-problems"]').text()).toMatch(/would queue 288 runs; at most 200/)
    expect(wrapper.get('[data-testid="start-sweep"]').attributes('disabled')).toBeDefined()
    await tick('start-sweep')
    expect(fake.callsTo('sweeps.start')).toEqual([])
  })
})

describe('SweepForm on a team store', () => {
  let wrapper: VueWrapper
  afterEach(() => wrapper?.unmount())

  it('offers Queue for workers only on a team store, and sends the sweep with where: workers', async () => {
    const local = installFakeAtelier({ 'team.status': () => ({ kind: 'local', reason: 'SQLite' }) })
    wrapper = mountWithProviders(SweepForm)
    await flush()
    expect(wrapper.find('[data-testid="queue-sweep-for-workers"]').exists()).toBe(false)
    expect(local.callsTo('team.status')).toHaveLength(1)
    wrapper.unmount()

    const fake = installFakeAtelier({
      'team.status': () => ({ kind: 'team', workers: [], queued: 0 }),
      'sweeps.start': (req) => summary(req.spec),
      'sweeps.list': () => [],
      'groups.list': () => [],
      'runs.list': () => []
    })
    wrapper = mountWithProviders(SweepForm)
    await flush()
    await wrapper.get('[data-testid="queue-sweep-for-workers"]').trigger('click')
    await flush()
    const [request] = fake.callsTo('sweeps.start') as { spec: SweepSpec; where?: string }[]
    expect(request).toMatchObject({ where: 'workers', spec: { preset: 'dense' } })
    expect(location.hash).toBe('#/sweeps/5')
  })
})
