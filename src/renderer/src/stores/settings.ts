/** App settings and facts about the machine (cores, paths), and the theme in force. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { AppInfo, Settings } from '@shared/api'
import { call } from '@renderer/api/client'

function prefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
}

export const useSettingsStore = defineStore('settings', () => {
  const settings = ref<Settings | null>(null)
  const info = ref<AppInfo | null>(null)
  const systemDark = ref(prefersDark())

  const theme = computed(() => settings.value?.theme ?? 'system')
  const isDark = computed(() => (theme.value === 'system' ? systemDark.value : theme.value === 'dark'))

  async function load(): Promise<void> {
    const [s, i] = await Promise.all([call('settings.get', {}), call('app.info', {})])
    settings.value = s
    info.value = i
  }

  async function update(patch: Partial<Settings>): Promise<Settings> {
    settings.value = await call('settings.update', patch)
    return settings.value
  }

  /** Follows the OS theme while the setting is `system`; returns the unsubscribe function. */
  function watchSystemTheme(): () => void {
    if (typeof matchMedia !== 'function') return () => {}
    const query = matchMedia('(prefers-color-scheme: dark)')
    const onChange = (): void => {
      systemDark.value = query.matches
    }
    query.addEventListener('change', onChange)
    return () => query.removeEventListener('change', onChange)
  }

  return { settings, info, theme, isDark, load, update, watchSystemTheme }
})
