import { describe, expect, it } from 'vitest'
import { CAPTION_COLORS, CARD_BACKGROUND, contrast } from '@renderer/components/gallery/captionColors'

describe('gallery caption colours', () => {
  it('keep 4.5:1 contrast for every caption colour on both themes (the old red read 3.6:1 in dark)', () => {
    expect(contrast('#d03050', CARD_BACKGROUND.dark)).toBeLessThan(4.5)
    for (const theme of ['light', 'dark'] as const) {
      for (const colour of Object.values(CAPTION_COLORS[theme]))
        expect(contrast(colour, CARD_BACKGROUND[theme])).toBeGreaterThanOrEqual(4.5)
    }
  })
})
