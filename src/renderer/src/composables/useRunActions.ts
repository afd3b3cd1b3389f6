/** Run actions shared by the experiments table and the run view, with confirmation and feedback. */
import { h, ref } from 'vue'
import { NInputNumber, NSpace, useDialog } from 'naive-ui'
import type { RunSummary } from '@shared/run'
import { useRunsStore } from '@renderer/stores/runs'
import { useRouterStore } from '@renderer/stores/router'
import { useUiStore } from '@renderer/stores/ui'
import { useApiFeedback } from './useApiFeedback'
import { plural } from '@renderer/lib/format'
import type { RowAction } from '@renderer/components/experiments/runColumns'

export function useRunActions() {
  const runs = useRunsStore()
  const router = useRouterStore()
  const ui = useUiStore()
  const dialog = useDialog()
  const feedback = useApiFeedback()
  /** The run whose name, notes and tags are being edited. */
  const editingId = ref<number | null>(null)

  /** Asks before deleting; resolves to the number deleted (0 when the person declined). */
  function confirmDelete(ids: number[]): Promise<number> {
    const names = ids.map((id) => runs.get(id)?.name ?? `#${id}`)
    const what = ids.length === 1 ? `“${names[0]}”` : plural(ids.length, 'run')
    return new Promise((resolve) => {
      dialog.warning({
        title: `Delete ${what}?`,
        content: `${ids.length === 1 ? 'Its' : 'Their'} history, metrics and predictions are removed from the database. This cannot be undone.`,
        positiveText: 'Delete',
        negativeText: 'Keep',
        positiveButtonProps: { type: 'error', 'data-testid': 'confirm-delete' } as never,
        onPositiveClick: async () => {
          const n = await feedback.attempt('delete the runs', () => runs.remove(ids))
          if (n !== undefined) {
            ui.forget(ids)
            feedback.done(`Deleted ${plural(n, 'run')}`)
          }
          resolve(n ?? 0)
        },
        onNegativeClick: () => resolve(0),
        onClose: () => resolve(0)
      })
    })
  }

  /** Asks how many epochs to add; resolves to the number, or null when the person declined. */
  function askEpochs(run: RunSummary): Promise<number | null> {
    const epochs = ref<number | null>(Math.min(5, 500 - run.epochsDone))
    return new Promise((resolve) => {
      dialog.create({
        title: `Train “${run.name}” further`,
        content: () =>
          h(NSpace, { vertical: true }, () => [
            h(
              'span',
              `It continues from its checkpoint after epoch ${run.epochsDone}, with the same optimizer state and learning rate; its test metrics are evaluated again, and the curves mark where it was extended.`
            ),
            h(
              NInputNumber,
              {
                value: epochs.value,
                min: 1,
                max: 500 - run.epochsDone,
                'onUpdate:value': (v: number | null) => (epochs.value = v),
                'data-testid': 'train-more-epochs'
              },
              { suffix: () => 'more epochs' }
            )
          ]),
        positiveText: 'Train more',
        negativeText: 'Cancel',
        positiveButtonProps: { 'data-testid': 'confirm-train-more' } as never,
        onPositiveClick: () => resolve(epochs.value && epochs.value >= 1 ? epochs.value : null),
        onNegativeClick: () => resolve(null),
        onClose: () => resolve(null)
      })
    })
  }

  async function act(action: RowAction, run: RunSummary): Promise<void> {
    switch (action) {
      case 'open':
        router.go({ name: 'run', id: run.id })
        break
      case 'edit':
        editingId.value = run.id
        break
      case 'rerun': {
        const next = await feedback.attempt('re-run', () => runs.rerun(run.id))
        if (next) feedback.done(`Queued “${next.name}”`, 'It starts when a training slot is free.')
        break
      }
      case 'cancel': {
        const cancelled = await feedback.attempt('cancel the run', () => runs.cancel(run.id))
        // Another machine's worker trains it: the core asked through its lease, and the worker records the end.
        if (cancelled && run.ownedElsewhere && cancelled.status === 'running') {
          feedback.done(
            `Cancel sent to the worker training “${run.name}”`,
            'The worker stops at its next lease renewal and records the run as cancelled; its finished epochs are kept.'
          )
        }
        break
      }
      case 'resume': {
        const next = await feedback.attempt('resume the run', () => runs.resume(run.id))
        if (next) feedback.done(`Resuming “${next.name}” after epoch ${next.epochsDone}`, 'It continues when a training slot is free.')
        break
      }
      case 'trainMore': {
        const epochs = await askEpochs(run)
        if (!epochs) break
        const next = await feedback.attempt('train the run further', () => runs.trainMore(run.id, epochs))
        if (next) feedback.done(`Training “${next.name}” to ${next.epochsPlanned} epochs`, 'It continues when a training slot is free.')
        break
      }
      case 'delete':
        await confirmDelete([run.id])
        break
    }
  }

  return { editingId, act, confirmDelete }
}
