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
  option: Ref<EChartsOption>
  dark: Ref<boolean>
  onClick?: (params: ECElementEvent) => void
  /**
   * Build the chart only once its element comes near the viewport, or when the browser is next idle,
   * whichever is first: a long view shows its visible charts without waiting for the ones below.
   */
  lazy?: boolean
}

/** How far outside the viewport a lazy chart is already built, in px. */
const LAZY_MARGIN = '200px'
/** A lazy chart off screen is built at the latest this long after mounting, idle or not. */
const LAZY_IDLE_TIMEOUT_MS = 1000

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
  let visibility: IntersectionObserver | null = null
  let idle: (() => void) | null = null

  function create(): void {
    if (!o.el.value) return
    chart.value?.dispose()
    const c = echarts.init(o.el.value, o.dark.value ? 'dark' : undefined, { renderer: 'canvas' })
    c.setOption(o.option.value, { notMerge: true })
    if (o.onClick) c.on('click', (p) => o.onClick?.(p as ECElementEvent))
    chart.value = c
  }

  function createOnce(): void {
    visibility?.disconnect()
    visibility = null
    idle?.()
    idle = null
    if (!chart.value) create()
  }

  /** Builds the chart when it nears the viewport or at the next idle moment. */
  function createLazily(el: HTMLElement): void {
    if (typeof IntersectionObserver === 'undefined') return create()
    visibility = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && createOnce(), { rootMargin: LAZY_MARGIN })
    visibility.observe(el)
    if (typeof requestIdleCallback === 'function') {
      const handle = requestIdleCallback(createOnce, { timeout: LAZY_IDLE_TIMEOUT_MS })
      idle = () => cancelIdleCallback(handle)
    } else {
      const handle = setTimeout(createOnce, LAZY_IDLE_TIMEOUT_MS / 4)
      idle = () => clearTimeout(handle)
    }
  }

  onMounted(() => {
    if (o.lazy && o.el.value) createLazily(o.el.value)
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
  watch(o.option, (option) => chart.value?.setOption(option, { notMerge: true, lazyUpdate: true }))
  watch(o.dark, () => chart.value && create())
  onBeforeUnmount(() => {
    visibility?.disconnect()
    idle?.()
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
    if (!c) return null
    return renderSvg(o.option.value, { width: c.getWidth(), height: c.getHeight(), dark: o.dark.value })
  }

  return { chart, toPngDataUrl, toSvg }
}
