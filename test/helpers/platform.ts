/**
 * POSIX-only behaviour some tests rely on. Such tests are skipped on Windows, with the reason in their
 * name so the report says why (`it.skipIf(isWindows)(\`name${windowsSkip(REASON)}\`)`).
 */
export const isWindows = process.platform === 'win32'

/** Why "killed by SIGKILL" cannot be expected on Windows. */
export const NO_SIGNALS =
  'Windows has no signals: a kill from another process is TerminateProcess, and the parent sees "exited with code 1", never "killed by SIGKILL"'
/** Why a graceful SIGINT shutdown cannot be tested on Windows. */
export const NO_SIGINT = 'Windows cannot deliver SIGINT to a child process: kill() terminates it at once, so nothing is cancelled'
/** Why /proc paths are not unwritable on Windows. */
export const NO_PROC = 'Windows has no /proc: "/proc/…" resolves to an ordinary folder on the current drive'
/** Why read-only permission bits cannot be tested on Windows. */
export const NO_MODE_BITS = 'Windows ignores POSIX permission bits (chmod 0o555 leaves a folder writable)'

/** The suffix for a test name: empty off Windows, the reason on Windows. */
export function windowsSkip(reason: string): string {
  return isWindows ? ` [skipped on Windows: ${reason}]` : ''
}
