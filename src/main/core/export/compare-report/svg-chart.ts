/** ECharts' server-side SVG rendering: a chart option in, an SVG document (vectors, no DOM) out. */
import * as echarts from 'echarts'
import type { EChartsOption } from 'echarts'
import { measureReportText } from './report-fonts'

// Text is measured with the fonts the PDF embeds (ECharts' own guess assumes narrower letters).
echarts.setPlatformAPI({ measureText: (text, font) => ({ width: measureReportText(text ?? '', font ?? '12px sans-serif') }) })

export function renderChartSvg(option: EChartsOption, size: { width: number; height: number }): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height })
  try {
    chart.setOption({ ...option, animation: false })
    return chart.renderToSVGString()
  } finally {
    // Disposing stops ECharts' frame loop, which would otherwise keep the process alive.
    chart.dispose()
  }
}
