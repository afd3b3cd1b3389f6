/**
 * Caption colours of gallery thumbnails per theme: right and wrong predictions in green and red
 * that keep at least 4.5:1 contrast (WCAG AA for small text) on the theme's background.
 */

/** Background each theme's cards are drawn on (Naive UI's card colours). */
export const CARD_BACKGROUND = { light: '#ffffff', dark: '#18181c' } as const

export const CAPTION_COLORS = {
  light: { ok: '#0c7a43', bad: '#c01c44', text: '#333639' },
  dark: { ok: '#63e2b7', bad: '#f29a9a', text: '#e0e0e3' }
} as const

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5]
    .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
    .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

/** WCAG contrast ratio of two `#rrggbb` colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}
