/** The Compare report as a PDF: runs, significance, hyperparameter diff, every chart as vectors, the confusion matrix. */
import PDFDocument from 'pdfkit'
import SVGtoPDF from 'svg-to-pdfkit'
import type { EChartsOption } from 'echarts'
import type { RunDetail } from '@shared/run'
import type { Significance, SubjectAccuracy } from '@shared/significance'
import { CURVE_METRICS, reportBarsOption, reportColors, reportConfusionOption, reportCurveOption } from './report-charts'
import { renderChartSvg } from './svg-chart'

/** Everything the report shows, gathered by the caller. */
export interface CompareReportInput {
  runs: RunDetail[]
  /** Each run's test accuracy with its Wilson interval (finished runs only). */
  accuracies: SubjectAccuracy[]
  /** The significance of each comparison made (each run against the best), or why it could not be made. */
  comparisons: Array<Significance | { label: string; problem: string }>
  /** Hyperparameters that differ: dotted path and one value per run, in `runs` order. */
  hparamDiff: Array<{ path: string; values: unknown[] }>
  generatedAt: Date
  appVersion: string
}

const PAGE = { width: 595.28, height: 841.89, margin: 42 }
const CONTENT = PAGE.width - 2 * PAGE.margin
const pct = (x: number | null | undefined): string => (x == null || !Number.isFinite(x) ? '-' : `${(x * 100).toFixed(2)}%`)
// The standard PDF fonts cover Windows-1252 only: map the few other characters our text uses.
const ascii = (s: string): string => s.replace(/[\u2212\u2013]/g, '-').replace(/[\u2018\u2019]/g, "'").replace(/[^\x20-\x7e\xa0-\xff\u2014\u2026]/g, '?')

interface Column {
  title: string
  width: number
  align?: 'left' | 'right'
}

function heading(doc: PDFKit.PDFDocument, text: string): void {
  ensureSpace(doc, 60)
  doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).fillColor('#000000').text(ascii(text), PAGE.margin, doc.y, { width: CONTENT })
  doc.moveDown(0.3)
}

function ensureSpace(doc: PDFKit.PDFDocument, needed: number): void {
  if (doc.y + needed > PAGE.height - PAGE.margin) doc.addPage()
}

function table(doc: PDFKit.PDFDocument, columns: Column[], rows: string[][]): void {
  const rowHeight = (cells: string[]) =>
    Math.max(...cells.map((c, i) => doc.heightOfString(ascii(c), { width: columns[i]!.width - 6 }))) + 4
  const draw = (cells: string[], bold: boolean) => {
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9)
    const h = rowHeight(cells)
    ensureSpace(doc, h)
    const y = doc.y
    let x = PAGE.margin
    cells.forEach((c, i) => {
      doc.fillColor('#000000').text(ascii(c), x + 3, y + 2, { width: columns[i]!.width - 6, align: columns[i]!.align ?? 'left' })
      x += columns[i]!.width
    })
    doc.moveTo(PAGE.margin, y + h).lineTo(PAGE.margin + CONTENT, y + h).lineWidth(bold ? 0.8 : 0.3).strokeColor('#888888').stroke()
    doc.y = y + h
  }
  draw(columns.map((c) => c.title), true)
  for (const r of rows) draw(r, false)
  doc.x = PAGE.margin
}

function chart(doc: PDFKit.PDFDocument, option: EChartsOption, box: { x: number; y: number; width: number; height: number }): void {
  // Rendered at 1.4× the box so ECharts' default font sizes land at print sizes; scaled back as vectors.
  const scale = 1.4
  const svg = renderChartSvg(option, { width: Math.round(box.width * scale), height: Math.round(box.height * scale) })
  SVGtoPDF(doc, svg, box.x, box.y, { width: box.width, height: box.height })
}

const valueText = (v: unknown): string => (v === undefined ? '-' : typeof v === 'string' ? v : JSON.stringify(v))

/** Builds the PDF in memory; the caller decides where the bytes go. */
export function compareReportPdf(input: CompareReportInput): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: PAGE.margin,
    info: { Title: `Atelier comparison of ${input.runs.length} runs`, Creator: `Atelier ${input.appVersion}`, CreationDate: input.generatedAt }
  })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))))
    doc.on('error', reject)
  })

  const colors = reportColors(input.runs.map((r) => r.id))
  doc.font('Helvetica-Bold').fontSize(18).text(`Comparison of ${input.runs.length} runs`)
  doc.font('Helvetica').fontSize(9).fillColor('#444444')
    .text(`Fashion-MNIST, Atelier ${input.appVersion}, generated ${input.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`)

  heading(doc, 'Runs')
  const acc = new Map(input.accuracies.map((a) => [a.id, a]))
  table(
    doc,
    [
      { title: 'Run', width: 150 }, { title: 'Preset', width: 66 }, { title: 'Status', width: 62 },
      { title: 'Test accuracy', width: 70, align: 'right' }, { title: '95% interval (Wilson)', width: 98, align: 'right' },
      { title: 'Best val', width: 54, align: 'right' }
    ],
    input.runs.map((r) => {
      const a = acc.get(r.id)
      return [
        `#${r.id} ${r.name}`, r.preset, r.status, pct(a?.accuracy ?? r.testAccuracy),
        a?.interval ? `${pct(a.interval.low)} - ${pct(a.interval.high)}` : '-', pct(r.bestValAccuracy)
      ]
    })
  )

  heading(doc, 'Is the difference real?')
  doc.font('Helvetica').fontSize(10).fillColor('#000000')
  if (input.comparisons.length === 0) doc.text('Fewer than two runs have finished, so there is nothing to test yet.', { width: CONTENT })
  for (const c of input.comparisons) {
    ensureSpace(doc, 40)
    if ('problem' in c) {
      doc.font('Helvetica-Oblique').text(ascii(`${c.label}: ${c.problem}`), PAGE.margin, doc.y, { width: CONTENT })
      continue
    }
    doc.font('Helvetica-Bold').text(ascii(c.sentence), PAGE.margin, doc.y, { width: CONTENT })
    if (c.counts) {
      doc.font('Helvetica').fontSize(8.5).fillColor('#444444').text(
        `McNemar's exact test on the paired predictions of ${c.a.n.toLocaleString('en-US')} test images: both right ${c.counts.bothRight}, ` +
          `only ${c.a.label} right ${c.counts.aOnly}, only ${c.b.label} right ${c.counts.bOnly}, both wrong ${c.counts.bothWrong}; ` +
          `p = ${c.p!.toPrecision(3)}.`,
        { width: CONTENT }
      )
    }
    doc.fontSize(10).fillColor('#000000').moveDown(0.4)
  }

  heading(doc, 'Hyperparameters that differ')
  if (input.hparamDiff.length === 0) {
    doc.font('Helvetica').fontSize(10).text('None: every run used the same hyperparameters and seed.', { width: CONTENT })
  } else {
    const first = 130
    const each = (CONTENT - first) / input.runs.length
    table(
      doc,
      [{ title: 'Hyperparameter', width: first }, ...input.runs.map((r) => ({ title: `#${r.id} ${r.name}`, width: each }))],
      input.hparamDiff.map((row) => [row.path, ...row.values.map(valueText)])
    )
  }

  doc.addPage()
  doc.font('Helvetica-Bold').fontSize(13).text('Training curves')
  const top = doc.y + 6
  const w = CONTENT / 2 - 6
  const h = 230
  CURVE_METRICS.forEach((m, i) => {
    chart(doc, reportCurveOption(m, input.runs, colors), { x: PAGE.margin + (i % 2) * (w + 12), y: top + Math.floor(i / 2) * (h + 10), width: w, height: h })
  })
  if (input.accuracies.length > 0) {
    chart(doc, reportBarsOption(input.accuracies, colors), { x: PAGE.margin, y: top + 2 * (h + 10) + 4, width: CONTENT, height: 250 })
  }

  const best = [...input.runs].filter((r) => r.metrics).sort((a, b) => (b.testAccuracy ?? 0) - (a.testAccuracy ?? 0))[0]
  if (best) {
    doc.addPage()
    chart(doc, reportConfusionOption(best), { x: PAGE.margin, y: PAGE.margin, width: CONTENT, height: 470 })
    doc.font('Helvetica').fontSize(9).fillColor('#444444').text(
      'Rows are the true classes, columns the predicted ones; the diagonal counts the test images classified correctly.',
      PAGE.margin, PAGE.margin + 486, { width: CONTENT }
    )
  }
  doc.end()
  return done
}
