/**
 * The report's fonts: DejaVu Sans, embedded (pdfkit subsets it), so run and group names print as
 * typed in Latin, Greek, Cyrillic, Hebrew, Arabic and the other scripts DejaVu covers. The standard
 * PDF fonts cover Windows-1252 only. DejaVu has no CJK glyphs: such characters show as empty boxes.
 */
import { createRequire } from 'node:module'
import PDFDocument from 'pdfkit'

const requireHere = createRequire(import.meta.url)

export const FONT = { regular: 'Body', bold: 'Body-Bold', italic: 'Body-Italic' } as const

const FILES: Record<(typeof FONT)[keyof typeof FONT], string> = {
  Body: 'dejavu-fonts-ttf/ttf/DejaVuSans.ttf',
  'Body-Bold': 'dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf',
  'Body-Italic': 'dejavu-fonts-ttf/ttf/DejaVuSans-Oblique.ttf'
}

/** Registers the three faces with a document. */
export function registerReportFonts(doc: PDFKit.PDFDocument): void {
  for (const [name, file] of Object.entries(FILES)) doc.registerFont(name, requireHere.resolve(file))
}

/** For svg-to-pdfkit: every chart text in the same faces. */
export const chartFont = (_family: string, bold: boolean, italic: boolean): string =>
  bold ? FONT.bold : italic ? FONT.italic : FONT.regular

let measurer: PDFKit.PDFDocument | null = null

function measuring(): PDFKit.PDFDocument {
  if (!measurer) {
    measurer = new PDFDocument({ autoFirstPage: false })
    registerReportFonts(measurer)
  }
  return measurer
}

/** True when the report's regular face has a glyph for every character of `text` (DejaVu has no CJK, for one). */
export function printable(text: string): boolean {
  // pdfkit keeps the fontkit font of the current face here; it is not part of its typed API.
  const font = (measuring().font(FONT.regular) as unknown as { _font: { font: { hasGlyphForCodePoint(c: number): boolean } } })._font.font
  return [...text].every((ch) => /\s/.test(ch) || font.hasGlyphForCodePoint(ch.codePointAt(0)!))
}

/**
 * Width of `text` in CSS pixels for a CSS `font` such as `bold 12px sans-serif`, measured with the
 * faces the PDF embeds: ECharts lays out legends and labels with it, so nothing overlaps on paper.
 */
export function measureReportText(text: string, font: string): number {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 12)
  const bold = /\bbold(er)?\b|\b[6-9]00\b/.test(font)
  return measuring()
    .font(bold ? FONT.bold : FONT.regular)
    .fontSize(size)
    .widthOfString(text)
}
