/** Paired tests only on the same test set: other datasets, or other files of one, are refused with a sentence saying why. */
import { describe, expect, it } from 'vitest'
import { builtinRef, type DatasetRef } from '@shared/dataset'
import { OFFICIAL_DATASET_CHECKSUM } from '@shared/dataset-checksum'
import type { GroupDetail } from '@shared/group'
import type { RunDetail } from '@shared/run'
import type { TestSet } from '@shared/api'
import { CoreError } from '@main/core/errors'
import { groupSourceOf } from '@main/core/stats/group-source'
import { createSignificanceService } from '@main/core/stats/significance-service'

const N = 200
const labels = Uint8Array.from({ length: N }, (_, i) => i % 10)
const ref = (name: string): DatasetRef => builtinRef(name)!

interface Fake {
  id: number
  dataset: DatasetRef
  checksum: string | null
  /** Images right: the first `right` of the test set. */
  right: number
}

function fakeRun(f: Fake): RunDetail {
  return {
    id: f.id,
    name: `run ${f.id}`,
    status: 'completed',
    dataset: f.dataset,
    datasetChecksum: f.checksum,
    testAccuracy: f.right / N,
    metrics: { testAccuracy: f.right / N, testLoss: 0.4, perClass: [], confusion: [] }
  } as unknown as RunDetail
}

function service(fakes: Fake[], groups: Array<{ id: number; members: number[] }> = []) {
  const runs = new Map(fakes.map((f) => [f.id, fakeRun(f)]))
  const predicted = (f: Fake) => labels.map((l, i) => (i < f.right ? l : (l + 1) % 10))
  const asked: Array<string | undefined> = []
  const get = (id: number) => runs.get(id)!
  const svc = createSignificanceService({
    runs: {
      get: async (id) => get(id),
      predictions: async (id) => ({ predicted: predicted(fakes.find((f) => f.id === id)!), probabilities: new Float32Array(N * 10) })
    },
    dataset: {
      testSet: async (name?: string): Promise<TestSet> => {
        asked.push(name)
        return { dataset: name ?? 'fashion-mnist', shape: ref('mnist').shape, count: N, images: new Uint8Array(), labels }
      }
    },
    groups: groupSourceOf({
      getGroup: async (id) => {
        const g = groups.find((x) => x.id === id)!
        return { id, name: `group ${id}`, members: g.members.map(get) } as unknown as GroupDetail
      }
    })
  })
  return { svc, asked }
}

const run = (id: number) => ({ kind: 'run' as const, id })
const group = (id: number) => ({ kind: 'group' as const, id })

describe('compare.significance across datasets', () => {
  it('refuses a paired test between runs on different datasets and shows both accuracies side by side', async () => {
    const { svc, asked } = service([
      { id: 1, dataset: ref('mnist'), checksum: 'a'.repeat(64), right: 190 },
      { id: 2, dataset: ref('fashion-mnist'), checksum: OFFICIAL_DATASET_CHECKSUM, right: 170 }
    ])
    const s = await svc.significance(run(1), run(2))
    expect(s.verdict).toBe('different-test-sets')
    expect(s.sentence).toBe(
      '#1 run 1 trained on MNIST, #2 run 2 on Fashion-MNIST: their test sets differ, so no paired test is possible; accuracies are shown side by side.'
    )
    expect(s).toMatchObject({ p: null, counts: null, a: { accuracy: 0.95, n: N }, b: { accuracy: 0.85, n: N } })
    expect(s.a.interval!.low).toBeLessThan(0.95)
    // No test labels were even loaded.
    expect(asked).toEqual([])
  })

  it('refuses runs on the same dataset name but different files (checksums)', async () => {
    const { svc } = service([
      { id: 1, dataset: ref('mnist'), checksum: 'a'.repeat(64), right: 190 },
      { id: 2, dataset: ref('mnist'), checksum: 'b'.repeat(64), right: 170 }
    ])
    const s = await svc.significance(run(1), run(2))
    expect(s.verdict).toBe('different-test-sets')
    expect(s.sentence).toBe(
      '#1 run 1 and #2 run 2 both trained on MNIST, but on different files (dataset checksums aaaaaaaaaaaa… and bbbbbbbbbbbb…): ' +
        'their test sets may differ, so no paired test is possible; accuracies are shown side by side.'
    )
  })

  it('refuses when a non-Fashion-MNIST run recorded no checksum, since it cannot be told', async () => {
    const { svc } = service([
      { id: 1, dataset: ref('kmnist'), checksum: null, right: 190 },
      { id: 2, dataset: ref('kmnist'), checksum: 'c'.repeat(64), right: 170 }
    ])
    const s = await svc.significance(run(1), run(2))
    expect(s.verdict).toBe('different-test-sets')
    expect(s.sentence).toMatch(/^#1 run 1 recorded no dataset checksum, so it cannot be told whether .* same Kuzushiji-MNIST images/)
  })

  it("tests runs on the same dataset and checksum, on that dataset's labels", async () => {
    const { svc, asked } = service([
      { id: 1, dataset: ref('mnist'), checksum: 'a'.repeat(64), right: 190 },
      { id: 2, dataset: ref('mnist'), checksum: 'a'.repeat(64), right: 150 }
    ])
    const s = await svc.significance(run(1), run(2))
    expect(s).toMatchObject({ test: 'mcnemar-exact', verdict: 'real', counts: { aOnly: 40, bOnly: 0 } })
    expect(asked).toEqual(['mnist'])
  })

  it('counts a Fashion-MNIST run recorded before checksums as the official files', async () => {
    const { svc } = service([
      { id: 1, dataset: ref('fashion-mnist'), checksum: null, right: 190 },
      { id: 2, dataset: ref('fashion-mnist'), checksum: OFFICIAL_DATASET_CHECKSUM, right: 150 }
    ])
    expect((await svc.significance(run(1), run(2))).verdict).toBe('real')
  })

  it('refuses to test on labels of another dataset than the runs trained on', async () => {
    const wrong = createSignificanceService({
      runs: {
        get: async (id) => fakeRun({ id, dataset: ref('mnist'), checksum: 'a'.repeat(64), right: 190 }),
        predictions: async () => ({ predicted: labels, probabilities: new Float32Array() })
      },
      // A dataset service that only knows the default dataset answers with Fashion-MNIST's labels.
      dataset: {
        testSet: async () => ({ dataset: 'fashion-mnist', shape: ref('mnist').shape, count: N, images: new Uint8Array(), labels })
      }
    })
    await expect(wrong.significance(run(1), run(2))).rejects.toThrow(CoreError)
    await expect(wrong.significance(run(1), run(2))).rejects.toThrow(/test labels of MNIST are not available/)
  })
})

describe("Welch's test between groups across datasets", () => {
  const fakes: Fake[] = [
    { id: 1, dataset: ref('mnist'), checksum: 'a'.repeat(64), right: 190 },
    { id: 2, dataset: ref('mnist'), checksum: 'a'.repeat(64), right: 188 },
    { id: 3, dataset: ref('fashion-mnist'), checksum: null, right: 170 },
    { id: 4, dataset: ref('fashion-mnist'), checksum: null, right: 172 },
    { id: 5, dataset: ref('mnist'), checksum: 'a'.repeat(64), right: 150 },
    { id: 6, dataset: ref('mnist'), checksum: 'a'.repeat(64), right: 152 },
    { id: 7, dataset: ref('mnist'), checksum: 'b'.repeat(64), right: 151 }
  ]
  const groups = [
    { id: 1, members: [1, 2] },
    { id: 2, members: [3, 4] },
    { id: 3, members: [5, 6] },
    { id: 4, members: [5, 7] }
  ]

  it('refuses groups on different datasets, with both means side by side', async () => {
    const s = await service(fakes, groups).svc.significance(group(1), group(2))
    expect(s).toMatchObject({ test: 'welch-t', verdict: 'different-test-sets', p: null, t: null })
    expect(s.sentence).toBe(
      'Group g1 group 1 trained on MNIST, group g2 group 2 on Fashion-MNIST: their test sets differ, so their accuracies do not measure ' +
        'the same thing and are not tested; they are shown side by side.'
    )
    expect(s.a.memberAccuracies).toEqual([0.95, 0.94])
  })

  it('refuses a run against a group of another dataset, and tests groups of one dataset', async () => {
    const { svc } = service(fakes, groups)
    expect((await svc.significance(run(3), group(1))).verdict).toBe('different-test-sets')
    expect((await svc.significance(group(1), group(3))).verdict).toBe('real')
  })

  it('refuses a group whose members trained on different files of one dataset', async () => {
    const s = await service(fakes, groups).svc.significance(group(1), group(4))
    expect(s.verdict).toBe('different-test-sets')
    expect(s.sentence).toMatch(/^The runs of group g4 group 4 trained on different files of MNIST/)
  })
})
