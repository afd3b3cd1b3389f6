/** What Atelier asks before quitting, from the runs that are training and waiting. Plain data, no electron. */

/** The message box to show, or null when quitting needs no question. */
export interface QuitQuestion {
  title: string
  message: string
  detail: string
  buttons: [keep: string, quit: string]
}

/** Only training runs are "still training"; queued runs stay queued for the next start and need no question. */
export function quitQuestion(counts: { training: number; queued: number }): QuitQuestion | null {
  const { training, queued } = counts
  if (training === 0) return null
  const waiting =
    queued > 0
      ? ` ${queued} queued run${queued === 1 ? ' stays' : 's stay'} queued and start${queued === 1 ? 's' : ''} when Atelier opens again.`
      : ''
  return {
    title: 'Runs are training',
    message: `${training} run${training === 1 ? ' is' : 's are'} still training. Quit Atelier?`,
    detail:
      `Quitting cancels ${training === 1 ? 'it' : 'them'}: the epochs finished so far are kept and the run${training === 1 ? ' is' : 's are'} ` +
      `marked cancelled; start ${training === 1 ? 'it' : 'them'} again with Re-run.${waiting}`,
    buttons: ['Keep training', 'Cancel runs and quit']
  }
}
