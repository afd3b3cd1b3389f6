/** The live training display: one redrawn line on a terminal, periodic lines otherwise. */
import type { TrainerProgress } from '@shared/trainer-protocol'
import type { EpochRecord } from '@shared/run'
import { duration, pct } from './format'

export interface ProgressDisplay {
  progress(p: TrainerProgress): void
  epoch(record: EpochRecord, epochs: number): void
  message(text: string): void
  end(): void
}

export function createProgressDisplay(stream: NodeJS.WriteStream = process.stderr): ProgressDisplay {
  const tty = stream.isTTY === true
  let lastPlain = 0
  let drawn = false
  const clear = () => {
    if (drawn) stream.write('\r\x1b[2K')
    drawn = false
  }
  return {
    progress(p) {
      const width = 24
      const filled = Math.round((p.batch / p.batches) * width)
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled)
      const text =
        `epoch ${p.epoch}/${p.epochs} ${bar} ${p.batch}/${p.batches}  loss ${p.loss.toFixed(4)}  acc ${pct(p.accuracy)}` +
        `  ${Math.round(p.imagesPerSec).toLocaleString('en-US')} img/s  ETA ${duration(p.etaSeconds)}`
      if (tty) {
        clear()
        stream.write(text.slice(0, (stream.columns || 120) - 1))
        drawn = true
      } else if (Date.now() - lastPlain > 5000) {
        lastPlain = Date.now()
        stream.write(text + '\n')
      }
    },
    epoch(r, epochs) {
      clear()
      stream.write(
        `epoch ${r.epoch}/${epochs}  loss ${r.loss.toFixed(4)}  acc ${pct(r.accuracy)}  val_loss ${r.valLoss.toFixed(4)}` +
          `  val_acc ${pct(r.valAccuracy)}  lr ${r.learningRate.toPrecision(3)}  ${(r.durationMs / 1000).toFixed(1)} s\n`
      )
    },
    message(text) {
      clear()
      stream.write(text + '\n')
    },
    end: clear
  }
}
