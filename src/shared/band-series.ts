/**
 * Every group's spread band in one ECharts custom series (a filled polygon per group), for Compare on
 * screen and the PDF report: ten groups add one series to a chart rather than twenty. Each band is one
 * data item, `[first epoch, lowest lower edge, last epoch, highest upper edge, band]`, so the axes make
 * room for it and `renderItem` runs once per band, not once per epoch.
 */

/** One group's band: its colour and, per epoch, `[epoch, lower, upper]`. */
export interface Band {
  color: string
  points: ReadonlyArray<readonly [number, number, number]>
}

/** The slice of ECharts' renderItem API the polygons need. */
interface CoordApi {
  value(dimension: number): unknown
  coord(point: number[]): number[]
}

export function bandSeries(bands: readonly Band[], name: string) {
  const data = bands.flatMap((b, i) => {
    if (!b.points.length) return []
    const epochs = b.points.map((p) => p[0])
    return [[Math.min(...epochs), Math.min(...b.points.map((p) => p[1])), Math.max(...epochs), Math.max(...b.points.map((p) => p[2])), i]]
  })
  return {
    name,
    type: 'custom' as const,
    silent: true,
    z: 1,
    tooltip: { show: false },
    encode: { x: [0, 2], y: [1, 3] },
    data,
    renderItem: (_params: unknown, api: CoordApi) => {
      const band = bands[api.value(4) as number]
      if (!band) return null
      const upper = band.points.map(([epoch, , high]) => api.coord([epoch, high]))
      const lower = band.points.map(([epoch, low]) => api.coord([epoch, low])).reverse()
      return { type: 'polygon' as const, shape: { points: [...upper, ...lower] }, style: { fill: band.color, opacity: 0.18 } }
    }
  }
}
