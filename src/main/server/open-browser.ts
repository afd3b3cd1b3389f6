/** Opens an address in the person's default browser, where there is a screen to show it on. */
import { spawn } from 'node:child_process'

/** Why the browser is not opened, or null when it can be. */
export function noBrowserReason(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string | null {
  if (platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY']) return 'no display ($DISPLAY and $WAYLAND_DISPLAY are unset)'
  return null
}

/** Starts the platform's opener detached; resolves false (never throws) when it cannot start. */
export function openBrowser(url: string, platform = process.platform): Promise<boolean> {
  const [command, args] =
    platform === 'darwin' ? ['open', [url]] : platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]]
  return new Promise((resolve) => {
    const child = spawn(command, args as string[], { detached: true, stdio: 'ignore', windowsHide: true })
    child.once('error', () => resolve(false))
    child.once('spawn', () => {
      child.unref()
      resolve(true)
    })
  })
}
