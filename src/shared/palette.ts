/** Okabe–Ito (colour-blind safe), then Tableau: the order runs and groups get their colours, on screen and on paper. */
export const RUN_PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#D55E00',
  '#CC79A7',
  '#56B4E9',
  '#F0E442',
  '#8C8C8C',
  '#4E79A7',
  '#F28E2B',
  '#59A14F',
  '#E15759',
  '#76B7B2',
  '#EDC948',
  '#B07AA1',
  '#9C755F'
]

/**
 * One colour per compared run or group, keyed `r<id>` / `g<id>`: runs first by id, then groups by id,
 * so every chart agrees and the order never depends on how they were picked.
 */
export function entityColorMap(entities: ReadonlyArray<{ key: string; kind: 'run' | 'group'; id: number }>): Map<string, string> {
  const sorted = [...entities].sort((a, b) => (a.kind === b.kind ? a.id - b.id : a.kind === 'run' ? -1 : 1))
  return new Map(sorted.map((e, i) => [e.key, RUN_PALETTE[i % RUN_PALETTE.length]!]))
}
