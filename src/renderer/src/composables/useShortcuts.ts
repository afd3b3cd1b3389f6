/** Single-key shortcuts for the main actions, ignored while typing in a field. */
import { onBeforeUnmount, onMounted } from 'vue'

export interface Shortcut {
  key: string
  description: string
  run: () => void
}

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/** Handles a keydown; returns true when a shortcut ran. Exported for tests. */
export function handleShortcut(event: KeyboardEvent, shortcuts: readonly Shortcut[]): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return false
  const hit = shortcuts.find((s) => s.key === event.key || s.key === event.key.toLowerCase())
  if (!hit) return false
  event.preventDefault()
  hit.run()
  return true
}

export function useShortcuts(shortcuts: () => readonly Shortcut[]): void {
  const onKey = (e: KeyboardEvent): void => {
    handleShortcut(e, shortcuts())
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
