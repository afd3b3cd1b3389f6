/** Progress of a dataset download or import on stderr: one redrawn line on a terminal, a line every few seconds otherwise. */
import type { DatasetProgress } from '@shared/dataset'
import { duration } from './format'

const number = (n: number, unit: DatasetProgress['unit']): string =>
  unit === 'bytes' ? (n / 1_000_000).toFixed(1) : n.toLocaleString('en-US')

/** One progress report as text, e.g. `mnist downloading train-images-idx3-ubyte.gz  4.1/9.9 MB  41%  1.2 MB/s  ETA 0:05`. */
export function progressText(p: DatasetProgress): string {
  const unit = p.unit === 'bytes' ? 'MB' : 'images'
  const amount = p.total > 0 ? `${number(p.done, p.unit)}/${number(p.total, p.unit)} ${unit}` : `${number(p.done, p.unit)} ${unit}`
  const share = p.total > 0 ? `  ${Math.floor((100 * p.done) / p.total)}%` : ''
  const rate = p.perSec > 0 ? `  ${p.unit === 'bytes' ? `${(p.perSec / 1_000_000).toFixed(1)} MB/s` : `${Math.round(p.perSec)} img/s`}` : ''
  const eta = `  ETA ${p.etaSeconds === null ? '—' : duration(p.etaSeconds)}`
  return `${p.dataset} ${p.phase}${p.file ? ` ${p.file}` : ''}  ${amount}${share}${rate}${eta}`
}

export interface DatasetProgressLine {
  update(p: DatasetProgress): void
  message(text: string): void
  end(): void
}

export function createDatasetProgressLine(stream: NodeJS.WriteStream = process.stderr, everyMs = 3000): DatasetProgressLine {
  const tty = stream.isTTY === true
  let drawn = false
  let last = 0
  let lastPhase = ''
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K')
    drawn = false
  }
  return {
    update(p) {
      const text = progressText(p)
      if (tty) {
        clear()
        stream.write(text.slice(0, (stream.columns || 120) - 1))
        drawn = true
        return
      }
      // Without a terminal: the first report of each phase, then one every few seconds.
      const now = Date.now()
      if (p.phase !== lastPhase || now - last >= everyMs) {
        lastPhase = p.phase
        last = now
        stream.write(text + '\n')
      }
    },
    message(text) {
      clear()
      stream.write(text + '\n')
    },
    end: clear
  }
}
