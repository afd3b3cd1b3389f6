/** `compare <a> <b>`: both test accuracies with 95 % intervals and whether the difference is real. */
import type { CompareSubject, Significance, SubjectAccuracy } from '@shared/significance'
import { CoreError } from '@main/core/errors'
import { exportToPath } from './export-to-path'
import { createSignificanceService } from '@main/core/stats/significance-service'
import { groupSourceOf } from '@main/core/stats/group-source'
import { UsageError, type Flags } from './args'
import { cliPaths, openCore } from './context'
import { pct, table } from './format'

/** A run id (`12`) or a group id (`g3`). */
export function subjectArg(value: string | undefined, which: 'first' | 'second'): CompareSubject {
  if (value === undefined) throw new UsageError(`compare needs two run ids, e.g. "compare 3 7" (the ${which} is missing; see "list")`)
  const m = /^(g?)(\d+)$/i.exec(value.trim())
  const id = m ? Number(m[2]) : NaN
  if (!m || !Number.isSafeInteger(id) || id <= 0) {
    throw new UsageError(`"${value}" is not a run id (a positive whole number) or a group id (g followed by one)`)
  }
  return { kind: m[1] ? 'group' : 'run', id }
}

const interval = (s: SubjectAccuracy): string => (s.interval ? `${pct(s.interval.low)} – ${pct(s.interval.high)}` : '—')

/** The plain-text report. */
export function formatSignificance(s: Significance): string {
  const kindOf = (x: SubjectAccuracy) => (x.kind === 'run' ? `${x.n.toLocaleString('en-US')} test images` : `${x.n} runs`)
  const method = s.a.intervalMethod === 'wilson' ? 'Wilson' : 'Student t'
  const out = [
    table(
      ['', 'name', 'test accuracy', `95% interval (${method})`, 'from'],
      [
        ['A', s.a.label, pct(s.a.accuracy), interval(s.a), kindOf(s.a)],
        ['B', s.b.label, pct(s.b.accuracy), interval(s.b), kindOf(s.b)]
      ]
    ),
    ''
  ]
  if (s.test === 'mcnemar-exact' && s.counts) {
    const c = s.counts
    out.push(
      `McNemar's exact test on the paired test predictions: both right ${c.bothRight}, A only ${c.aOnly}, B only ${c.bOnly}, both wrong ${c.bothWrong}; p = ${s.p!.toPrecision(4)}`
    )
  } else if (s.p !== null) {
    out.push(`Welch's t-test on the members' test accuracies: t = ${s.t!.toFixed(3)}, df = ${s.df!.toFixed(2)}, p = ${s.p.toPrecision(4)}`)
  }
  out.push(s.sentence)
  return out.join('\n') + '\n'
}

export async function compareCommand(positionals: string[], flags: Flags): Promise<number> {
  const a = subjectArg(positionals[0], 'first')
  const b = subjectArg(positionals[1], 'second')
  if (positionals.length > 2) throw new UsageError(`compare takes two ids, got ${positionals.length}: ${positionals.join(' ')}`)
  const core = await openCore(cliPaths(flags))
  try {
    const s = await createSignificanceService({ runs: core.runs, dataset: core.dataset, groups: groupSourceOf(core.groups) }).significance(
      a,
      b
    )
    process.stdout.write(flags.json ? JSON.stringify(s) + '\n' : formatSignificance(s))
    if (flags.pdf) {
      const ids = [a, b].flatMap((x) => (x.kind === 'run' ? [x.id] : []))
      const groupIds = [a, b].flatMap((x) => (x.kind === 'group' ? [x.id] : []))
      await exportToPath(core, 'export.compareReport', { ids, groupIds }, flags.pdf)
      process.stderr.write(`wrote the comparison report to ${flags.pdf}\n`)
    }
    return 0
  } catch (error) {
    // An unknown id or an unfinished run is a problem with what was asked, like a malformed id.
    if (error instanceof CoreError && (error.code === 'not_found' || error.code === 'conflict')) throw new UsageError(error.message)
    throw error
  } finally {
    await core.shutdown({ cancelRunning: false })
  }
}
