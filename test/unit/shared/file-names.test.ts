import { describe, expect, it } from 'vitest'
import { exportFileName, normaliseFileName } from '@shared/file-names'

describe('export file names', () => {
  it('are written in one style: lowercase words joined by hyphens, then the extension', () => {
    expect(exportFileName(['Dense #3 — loss'], 'png')).toBe('dense-3-loss.png')
    expect(exportFileName(['Dense #3', 'predictions'], 'csv')).toBe('dense-3-predictions.csv')
    expect(exportFileName(['atelier runs', '2026-01-31'], 'csv')).toBe('atelier-runs-2026-01-31.csv')
    expect(exportFileName(['atelier compare', 3, 'g2'], 'pdf')).toBe('atelier-compare-3-g2.pdf')
    expect(exportFileName(['Café lr 0.001'], 'json')).toBe('cafe-lr-0-001.json')
  })

  it('bring a suggested name to that style and keep its extension; nothing unsafe survives', () => {
    expect(normaliseFileName('dense 3 tfjs.zip')).toBe('dense-3-tfjs.zip')
    expect(normaliseFileName('../../etc/passwd')).toBe('etc-passwd.txt')
    expect(normaliseFileName('###.png')).toBe('atelier.png')
  })
})
