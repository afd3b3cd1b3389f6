/** The one place ECharts is set up, resized, re-themed, exported and disposed. */
import { onBeforeUnmount, onMounted, shallowRef, watch, type Ref } from 'vue'
import * as echarts from 'echarts/core'
import { BarChart, CustomChart, HeatmapChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts'
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent
} from 'echarts/components'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'
import type { EChartsOption, ECElementEvent } from 'echarts'
import { whenNear } from './whenNear'

echarts.use([
  BarChart,
  CustomChart,
  HeatmapChart,
  LineChart,
  ParallelChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  ParallelComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
  SVGRenderer
])

export interface UseChartOptions {
  el: Ref<HTMLElement | null>
  /** Null while the data is on its way: the chart is built when it arrives. */
  option: Ref<EChartsOption | null>
  dark: Ref<boolean>
  onClick?: (params: ECElementEvent) => void
  /**
   * Build the chart only once its element comes near the viewport, or when the browser is next idle,
   * whichever is first: a long view shows its visible charts without waiting for the ones below.
   */
  lazy?: boolean
}

/** Renders `option` offscreen with the SVG renderer and returns the SVG document. */
export function renderSvg(option: EChartsOption, size: { width: number; height: number; dark: boolean }): string {
  const chart = echarts.init(null, size.dark ? 'dark' : undefined, {
    renderer: 'svg',
    ssr: true,
    width: size.width,
    height: size.height
  })
  try {
    chart.setOption({ ...option, animation: false })
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

export function useChart(o: UseChartOptions) {
  const chart = shallowRef<echarts.ECharts | null>(null)
  let observer: ResizeObserver | null = null
  /** Cancels the pending lazy build. */
  let cancelLazy: (() => void) | null = null
  /** Whether the chart should exist: always, or (lazy) once near the viewport; it is built as soon as it also has an option. */
  let wanted = !o.lazy

  function create(): void {
    const option = o.option.value
    if (!o.el.value) return
    // A chart built for the other theme goes even when there is nothing to draw yet: the next option builds afresh.
    chart.value?.dispose()
    chart.value = null
    if (!option) return
    const c = echarts.init(o.el.value, o.dark.value ? 'dark' : undefined, { renderer: 'canvas' })
    c.setOption(option, { notMerge: true })
    if (o.onClick) c.on('click', (p) => o.onClick?.(p as ECElementEvent))
    chart.value = c
  }

  function createOnce(): void {
    cancelLazy?.()
    cancelLazy = null
    wanted = true
    if (!chart.value) create()
  }

  onMounted(() => {
    if (o.lazy && o.el.value) cancelLazy = whenNear(o.el.value, createOnce)
    else create()
    if (o.el.value && typeof ResizeObserver !== 'undefined') {
      // The observer reports the initial size too; a resize is a full redraw, so only on a real change.
      observer = new ResizeObserver(([entry]) => {
        const c = chart.value
        if (!c || !entry) return
        const { width, height } = entry.contentRect
        if (Math.round(width) !== c.getWidth() || Math.round(height) !== c.getHeight()) c.resize()
      })
      observer.observe(o.el.value)
    }
  })
  // Live charts update several times a second: replace the option without animation churn.
  watch(o.option, (option) => {
    if (!chart.value) {
      if (wanted) create()
    } else if (option) chart.value.setOption(option, { notMerge: true, lazyUpdate: true })
    else chart.value.clear()
  })
  watch(o.dark, () => chart.value && create())
  onBeforeUnmount(() => {
    cancelLazy?.()
    observer?.disconnect()
    chart.value?.dispose()
    chart.value = null
  })

  /** PNG at twice the on-screen resolution, on the theme's background. */
  function toPngDataUrl(): string | null {
    // A lazy chart asked for its picture before it came into view is built now.
    if (!chart.value) createOnce()
    const c = chart.value
    if (!c) return null
    return c.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: o.dark.value ? '#100c2a' : '#ffffff' })
  }

  function toSvg(): string | null {
    if (!chart.value) createOnce()
    const c = chart.value
    if (!c || !o.option.value) return null
    return renderSvg(o.option.value, { width: c.getWidth(), height: c.getHeight(), dark: o.dark.value })
  }

  return { chart, toPngDataUrl, toSvg }
}
