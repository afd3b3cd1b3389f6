/** Short class names for narrow column headers; the full name goes in the header's tooltip. */
import { CLASS_NAMES } from '@shared/classes'

const SHORT: Record<string, string> = {
  'T-shirt/top': 'Top',
  Trouser: 'Trous.',
  Pullover: 'Pull.',
  Dress: 'Dress',
  Coat: 'Coat',
  Sandal: 'Sand.',
  Shirt: 'Shirt',
  Sneaker: 'Sneak.',
  Bag: 'Bag',
  'Ankle boot': 'Boot'
}

/** One short name per class index, in CLASS_NAMES order (a name without an entry stays whole). */
export const CLASS_SHORT_NAMES: readonly string[] = CLASS_NAMES.map((name) => SHORT[name] ?? name)
