/** Short class names for narrow column headers; the full name goes in the header's tooltip. */
import { CLASS_NAMES } from '@shared/classes'

/** Fashion-MNIST's names as they have always been shortened. */
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

/** Longest short name, in characters (a wide character such as き counts as two). */
const MAX_WIDTH = 7

/** Display width of a string: East Asian wide characters take two columns. */
function width(s: string): number {
  let w = 0
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1
  return w
}

/** One name cut to {@link MAX_WIDTH} columns with a full stop (whole code points, never half a surrogate pair). */
function shorten(name: string): string {
  if (width(name) <= MAX_WIDTH) return name
  let out = ''
  for (const ch of name) {
    if (width(out + ch) > MAX_WIDTH - 1) break
    out += ch
  }
  return `${out.trimEnd()}.`
}

/**
 * One short name per class, in the given order: the known Fashion-MNIST abbreviations, short names
 * as they are, and long ones cut. Names that would come out equal keep their index so columns stay
 * distinguishable.
 */
export function classShortNames(names: readonly string[]): string[] {
  const short = names.map((name) => SHORT[name] ?? shorten(name))
  const seen = new Map<string, number>()
  short.forEach((s) => seen.set(s, (seen.get(s) ?? 0) + 1))
  return short.map((s, i) => ((seen.get(s) ?? 0) > 1 && s !== names[i] ? `${s}${i}` : s))
}

/** Fashion-MNIST's short names, in CLASS_NAMES order. */
export const CLASS_SHORT_NAMES: readonly string[] = classShortNames(CLASS_NAMES)
