/** The Compare report as a PDF: runs and groups, significance, hyperparameter diff, every chart as vectors, the confusion matrix. */
import PDFDocument from 'pdfkit'
import SVGtoPDF from 'svg-to-pdfkit'
import type { EChartsOption } from 'echarts'
import type { Significance, SubjectAccuracy } from '@shared/significance'
import { spreadOf } from '@shared/spread'
import { modelName, runArchitecture } from '@shared/run-architecture'
import type { Architecture } from '@shared/architecture/architecture-schema'
import { collapseUnchanged, diffArchitectures, diffCounts, shownFields, type DiffLayer } from '@shared/architecture/architecture-diff'
import type { CompareModel } from '@shared/compare-model'
import {
  CURVE_METRICS,
  reportBarsOption,
  reportClassNames,
  reportConfusionOption,
  reportCurveOption,
  type ReportEntity
} from './report-charts'
import { renderChartSvg } from './svg-chart'
import { chartFont, FONT, registerReportFonts } from './report-fonts'

/** Everything the report shows, gathered by the caller. */
export interface CompareReportInput {
  /** What Compare shows (runs and groups in the order asked, curves, test accuracy, hyperparameter diff): the model the screen draws too. */
  model: CompareModel
  /** Test accuracy of each run (Wilson interval) and group (members' mean, t interval) that has one. */
  accuracies: SubjectAccuracy[]
  /** The significance of each comparison made (each run against the best run, each group against the best group), or why it could not be made. */
  comparisons: Array<Significance | { label: string; problem: string }>
  generatedAt: Date
  appVersion: string
}

const PAGE = { width: 595.28, height: 841.89, margin: 42 }
const CONTENT = PAGE.width - 2 * PAGE.margin
const pct = (x: number | null | undefined): string => (x == null || !Number.isFinite(x) ? '-' : `${(x * 100).toFixed(2)}%`)

interface Column {
  title: string
  width: number
  align?: 'left' | 'right'
}

function heading(doc: PDFKit.PDFDocument, text: string): void {
  ensureSpace(doc, 60)
  doc.moveDown(0.8).font(FONT.bold).fontSize(13).fillColor('#000000').text(text, PAGE.margin, doc.y, { width: CONTENT })
  doc.moveDown(0.3)
}

function ensureSpace(doc: PDFKit.PDFDocument, needed: number): void {
  if (doc.y + needed > PAGE.height - PAGE.margin) doc.addPage()
}

function table(doc: PDFKit.PDFDocument, columns: Column[], rows: string[][]): void {
  const rowHeight = (cells: string[]) => Math.max(...cells.map((c, i) => doc.heightOfString(c, { width: columns[i]!.width - 6 }))) + 4
  const draw = (cells: string[], bold: boolean) => {
    doc.font(bold ? FONT.bold : FONT.regular).fontSize(8.5)
    const h = rowHeight(cells)
    ensureSpace(doc, h)
    const y = doc.y
    let x = PAGE.margin
    cells.forEach((c, i) => {
      doc.fillColor('#000000').text(c, x + 3, y + 2, { width: columns[i]!.width - 6, align: columns[i]!.align ?? 'left' })
      x += columns[i]!.width
    })
    doc
      .moveTo(PAGE.margin, y + h)
      .lineTo(PAGE.margin + CONTENT, y + h)
      .lineWidth(bold ? 0.8 : 0.3)
      .strokeColor('#888888')
      .stroke()
    doc.y = y + h
  }
  draw(
    columns.map((c) => c.title),
    true
  )
  for (const r of rows) draw(r, false)
  doc.x = PAGE.margin
}

function chart(doc: PDFKit.PDFDocument, option: EChartsOption, box: { x: number; y: number; width: number; height: number }): void {
  // Rendered at 1.4× the box so ECharts' default font sizes land at print sizes; scaled back as vectors.
  const scale = 1.4
  const svg = renderChartSvg(option, { width: Math.round(box.width * scale), height: Math.round(box.height * scale) })
  SVGtoPDF(doc, svg, box.x, box.y, { width: box.width, height: box.height, fontCallback: chartFont })
}

/** One colour key for the curve charts: a swatch and the name of each run and group, wrapped to the page. */
function colorKey(doc: PDFKit.PDFDocument, entities: readonly ReportEntity[], colors: ReadonlyMap<string, string>): void {
  doc.font(FONT.regular).fontSize(8.5)
  const lineHeight = 13
  let x = PAGE.margin
  let y = doc.y + 4
  for (const e of entities) {
    const width = 12 + doc.widthOfString(e.label) + 14
    if (x + width > PAGE.margin + CONTENT && x > PAGE.margin) {
      x = PAGE.margin
      y += lineHeight
    }
    doc.rect(x, y + 1, 9, 9).fill(colors.get(e.key) ?? '#888888')
    doc.fillColor('#222222').text(e.label, x + 12, y, { lineBreak: false })
    x += width
  }
  doc.x = PAGE.margin
  doc.y = y + lineHeight
}

const valueText = (v: unknown): string => (v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v))

/** "3 runs", "10 groups", "2 runs and 1 group". */
export function subjectCount(entities: readonly ReportEntity[]): string {
  const count = (n: number, noun: string) => (n ? `${n} ${noun}${n === 1 ? '' : 's'}` : '')
  const runs = entities.filter((e) => e.kind === 'run').length
  return [count(runs, 'run'), count(entities.length - runs, 'group')].filter(Boolean).join(' and ')
}

/** One row of the runs-and-groups table. */
function entityRow(e: ReportEntity, a: SubjectAccuracy | undefined): string[] {
  const interval = a?.interval ? `${pct(a.interval.low)} - ${pct(a.interval.high)}${e.kind === 'group' ? ' (t)' : ''}` : '-'
  if (e.kind === 'run') {
    const r = e.runs[0]!
    return [e.label, modelName(r), r.status, pct(a?.accuracy ?? r.testAccuracy), interval, pct(r.bestValAccuracy)]
  }
  const completed = e.runs.filter((r) => r.status === 'completed').length
  const test = spreadOf(a?.memberAccuracies ?? [])
  const bestVal = spreadOf(e.runs.map((r) => r.bestValAccuracy))
  return [
    `${e.label} (${e.runs.length} seeds)`,
    e.runs[0] ? modelName(e.runs[0]) : '-',
    `${completed} of ${e.runs.length} completed`,
    test ? `${pct(test.mean)}${test.std === null ? '' : ` ± ${pct(test.std)}`}` : '-',
    interval,
    bestVal ? pct(bestVal.mean) : '-'
  ]
}

/** Builds the PDF in memory; the caller decides where the bytes go. */
/**
 * The architectures the runs and groups trained, layer by layer, as Compare shows them: the first two
 * that differ, runs of unchanged layers folded, changed parameters marked with *.
 */
function architectureSection(doc: PDFKit.PDFDocument, model: CompareModel): void {
  const sides = model.entities.flatMap((e) => {
    const first = e.runs[0]
    if (!first) return []
    try {
      return [{ label: e.label, architecture: runArchitecture(first.hparams) }]
    } catch {
      return []
    }
  })
  const text = (a: Architecture): string => JSON.stringify(a.layers)
  const distinct = sides.filter((s, i) => sides.findIndex((t) => text(t.architecture) === text(s.architecture)) === i)
  heading(doc, 'Architectures that differ')
  doc.font(FONT.regular).fontSize(10).fillColor('#000000')
  if (distinct.length < 2) {
    const only = distinct[0]?.architecture.name
    doc.text(`None: every one trained the same architecture${only ? ` (${only})` : ''}.`, { width: CONTENT })
    return
  }
  const [a, b] = [distinct[0]!, distinct[1]!]
  const rows = diffArchitectures(a.architecture.layers, b.architecture.layers)
  const counts = diffCounts(rows)
  doc.text(
    `A: ${a.label} (${a.architecture.name}); B: ${b.label} (${b.architecture.name}). ` +
      `${counts.changed} changed, ${counts.added} added in B, ${counts.removed} removed from A, ${counts.same} the same` +
      (distinct.length > 2 ? `; ${distinct.length} different architectures in all, the first two shown.` : '.'),
    { width: CONTENT }
  )
  doc.moveDown(0.3)
  const cell = (side: DiffLayer | null, changed: string[]): string =>
    side
      ? `${side.path} ${side.kind}` +
        shownFields(side, changed)
          .map((f) => ` ${f.name}=${f.value}${f.changed ? '*' : ''}`)
          .join('')
      : ''
  const body = collapseUnchanged(rows, 3).map((r) =>
    r.type === 'unchanged'
      ? ['same', `${r.rows.length} unchanged layers (${r.rows[0]!.a!.path}–${r.rows.at(-1)!.a!.path})`, '']
      : [
          r.row.status,
          `${'  '.repeat(r.row.depth)}${cell(r.row.a, r.row.changed)}`,
          `${'  '.repeat(r.row.depth)}${cell(r.row.b, r.row.changed)}`
        ]
  )
  const half = (CONTENT - 60) / 2
  table(
    doc,
    [
      { title: '', width: 60 },
      { title: 'A', width: half },
      { title: 'B', width: half }
    ],
    body
  )
}

export function compareReportPdf(input: CompareReportInput): Promise<Uint8Array> {
  const { entities, columns, hparamDiff } = input.model
  const subjects = subjectCount(entities)
  const hasGroups = entities.some((e) => e.kind === 'group')
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    info: { Title: `Atelier comparison of ${subjects}`, Creator: `Atelier ${input.appVersion}`, CreationDate: input.generatedAt }
  })
  registerReportFonts(doc)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))))
    doc.on('error', reject)
  })

  const colors = new Map(entities.map((e) => [e.key, e.color]))
  doc.font(FONT.bold).fontSize(18).text(`Comparison of ${subjects}`)
  doc
    .font(FONT.regular)
    .fontSize(9)
    .fillColor('#444444')
    .text(
      `${input.model.datasets.map((d) => d.title).join(', ') || 'No dataset'}, Atelier ${input.appVersion}, generated ${input.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`
    )

  heading(doc, hasGroups ? 'Runs and groups' : 'Runs')
  const acc = new Map(input.accuracies.map((a) => [`${a.kind === 'run' ? 'r' : 'g'}${a.id}`, a]))
  table(
    doc,
    [
      { title: hasGroups ? 'Run or group' : 'Run', width: hasGroups ? 130 : 150 },
      { title: 'Preset', width: hasGroups ? 52 : 58 },
      { title: 'Status', width: hasGroups ? 86 : 62 },
      { title: 'Test accuracy', width: hasGroups ? 86 : 70, align: 'right' },
      { title: hasGroups ? '95% interval' : '95% interval (Wilson)', width: hasGroups ? 102 : 114, align: 'right' },
      { title: 'Best val', width: hasGroups ? 52 : 54, align: 'right' }
    ],
    entities.map((e) => entityRow(e, acc.get(e.key)))
  )
  if (hasGroups) {
    doc
      .font(FONT.regular)
      .fontSize(8.5)
      .fillColor('#444444')
      .moveDown(0.3)
      .text(
        "Runs: Wilson interval of the test accuracy over the run's test images. Groups: the members' mean test accuracy " +
          'with its sample standard deviation (n - 1) and a Student t interval of the mean.',
        PAGE.margin,
        doc.y,
        { width: CONTENT }
      )
  }

  heading(doc, 'Is the difference real?')
  doc.font(FONT.regular).fontSize(10).fillColor('#000000')
  if (input.comparisons.length === 0) {
    doc.text(`Fewer than two ${hasGroups ? 'runs or groups' : 'runs'} have finished, so there is nothing to test yet.`, { width: CONTENT })
  }
  for (const c of input.comparisons) {
    ensureSpace(doc, 40)
    if ('problem' in c) {
      doc.font(FONT.italic).text(`${c.label}: ${c.problem}`, PAGE.margin, doc.y, { width: CONTENT })
      continue
    }
    doc.font(FONT.bold).text(c.sentence, PAGE.margin, doc.y, { width: CONTENT })
    if (c.verdict === 'different-test-sets') {
      // Nothing was tested: the sentence says why, the accuracies stand in the table above.
    } else if (c.counts) {
      doc
        .font(FONT.regular)
        .fontSize(8.5)
        .fillColor('#444444')
        .text(
          `McNemar's exact test on the paired predictions of ${c.a.n.toLocaleString('en-US')} test images: both right ${c.counts.bothRight}, ` +
            `only ${c.a.label} right ${c.counts.aOnly}, only ${c.b.label} right ${c.counts.bOnly}, both wrong ${c.counts.bothWrong}; ` +
            `p = ${c.p!.toPrecision(3)}.`,
          { width: CONTENT }
        )
    } else {
      const members = (s: SubjectAccuracy) => `${s.label}: ${s.memberAccuracies.map((m) => pct(m)).join(', ') || '-'}`
      doc
        .font(FONT.regular)
        .fontSize(8.5)
        .fillColor('#444444')
        .text(
          `Welch's t-test on the members' test accuracies (${members(c.a)}; ${members(c.b)})` +
            (c.p === null ? '.' : `: t = ${c.t!.toFixed(3)}, df = ${c.df!.toFixed(2)}, p = ${c.p.toPrecision(3)}.`),
          { width: CONTENT }
        )
    }
    doc.fontSize(10).fillColor('#000000').moveDown(0.4)
  }

  heading(doc, 'Hyperparameters that differ')
  if (hparamDiff.length === 0) {
    doc
      .font(FONT.regular)
      .fontSize(10)
      .text(`None: every ${hasGroups ? 'run and group' : 'run'} used the same hyperparameters and seed.`, { width: CONTENT })
  } else {
    const first = 130
    const each = (CONTENT - first) / columns.length
    const labelOf = new Map(entities.map((e) => [e.key, e.label]))
    table(
      doc,
      [{ title: 'Hyperparameter', width: first }, ...columns.map((c) => ({ title: labelOf.get(c.key) ?? c.heading, width: each }))],
      hparamDiff.map((row) => [row.path, ...row.values.map(valueText)])
    )
  }

  architectureSection(doc, input.model)

  doc.addPage()
  doc.font(FONT.bold).fontSize(13).text('Training curves')
  colorKey(doc, entities, colors)
  if (input.model.datasetCaption) {
    doc.font(FONT.regular).fontSize(8.5).fillColor('#444444').text(input.model.datasetCaption, PAGE.margin, doc.y, { width: CONTENT })
  }
  if (hasGroups) {
    doc
      .font(FONT.regular)
      .fontSize(8.5)
      .fillColor('#444444')
      .text("Groups: the members' mean curve in a band of ± one sample standard deviation (n - 1).", PAGE.margin, doc.y, { width: CONTENT })
  }
  const top = doc.y + 4
  const w = CONTENT / 2 - 6
  const BARS = 250
  // The curves shrink a little (down to 190 pt) to keep the test-accuracy chart on their page; with a
  // colour key too long for that, the bars get a page of their own.
  const room = (PAGE.height - PAGE.margin - top - BARS - 4) / 2 - 10
  const barsBelow = room >= 190
  const h = barsBelow ? Math.min(230, room) : 230
  CURVE_METRICS.forEach((m, i) => {
    chart(doc, reportCurveOption(m, input.model), {
      x: PAGE.margin + (i % 2) * (w + 12),
      y: top + Math.floor(i / 2) * (h + 10),
      width: w,
      height: h
    })
  })
  if (input.model.testAccuracy.some((t) => t.spread)) {
    let y = top + 2 * (h + 10) + 4
    if (!barsBelow) {
      doc.addPage()
      y = PAGE.margin
    }
    chart(doc, reportBarsOption(input.model, acc), { x: PAGE.margin, y, width: CONTENT, height: BARS })
  }

  // The best single run, group members included; with several datasets, the best on each (accuracies rank within one test set).
  const finished = [...new Map(entities.flatMap((e) => e.runs).map((r) => [r.id, r])).values()]
    .filter((r) => r.metrics)
    .sort((a, b) => (b.testAccuracy ?? 0) - (a.testAccuracy ?? 0))
  const bests = [...new Map(finished.reverse().map((r) => [r.dataset.name, r])).values()].reverse()
  for (const best of bests) {
    doc.addPage()
    const on = input.model.datasets.length > 1 ? ` on ${best.dataset.title}` : ''
    chart(doc, reportConfusionOption(best, on), { x: PAGE.margin, y: PAGE.margin, width: CONTENT, height: 470 })
    doc
      .font(FONT.regular)
      .fontSize(9)
      .fillColor('#444444')
      .text(
        'Rows are the true classes, columns the predicted ones; the diagonal counts the test images classified correctly.' +
          (reportClassNames(best).byIndex
            ? ` The class names of ${best.dataset.title} use characters this report's font cannot draw, so the classes are shown by ` +
              'their index in the order of its classes; the predictions CSV names them.'
            : ''),
        PAGE.margin,
        PAGE.margin + 486,
        { width: CONTENT }
      )
  }
  doc.end()
  return done
}
