// The dashboard's charts (Chart.js). Only the controllers, elements and scales used here are
// registered, so the bundle carries no more of Chart.js than these two charts need. No animation:
// a chart is drawn once, at its final state (steady screenshots, nothing moving on a slow phone).
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js'
import { h } from '../../util/dom.js'

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
)

const FONT = { family: "system-ui, 'Noto Sans SC', sans-serif", size: 11 }
export const CHART_COLOURS = ['#1b6ec2', '#d9480f', '#2b8a3e', '#862e9c', '#c92a2a', '#5c940d', '#0b7285', '#e67700']

/** A canvas in a sized box (Chart.js fills its parent), with a text alternative for screen readers. */
function chartBox(label: string, testid: string, height: number) {
  const canvas = h('canvas', { role: 'img', 'aria-label': label })
  const box = h('div', { class: 'chart-box', style: `height:${height}px`, 'data-testid': testid }, canvas)
  return { box, canvas }
}

function draw(canvas: HTMLCanvasElement, config: ChartConfiguration) {
  // the canvas must be in the page for Chart.js to measure it: draw on the next frame after insertion
  const chart = new Chart(canvas, config)
  canvas.dataset.drawn = 'true'
  return chart
}

const baseOptions = {
  animation: false as const,
  responsive: true,
  maintainAspectRatio: false,
  plugins: { legend: { labels: { font: FONT, boxWidth: 12 } }, tooltip: { enabled: true } },
}

/** Scores of a peer group, one bar per unit, best first. */
export function scoreBarChart(
  label: string,
  rows: { name: string; score: number | null }[],
  group: string,
): HTMLElement {
  const { box, canvas } = chartBox(label, `score-chart-${group}`, Math.max(140, rows.length * 22 + 40))
  const ranked = rows.filter((r) => r.score !== null)
  draw(canvas, {
    type: 'bar',
    data: {
      labels: ranked.map((r) => r.name),
      datasets: [{ label, data: ranked.map((r) => r.score), backgroundColor: CHART_COLOURS[0] }],
    },
    options: {
      ...baseOptions,
      indexAxis: 'y',
      plugins: { ...baseOptions.plugins, legend: { display: false } },
      scales: {
        x: { min: 0, max: 100, ticks: { font: FONT } },
        y: { ticks: { font: FONT, autoSkip: false } },
      },
    },
  })
  return box
}

/** Month-by-month series (a unit's total score and, optionally, more lines). */
export function trendLineChart(
  label: string,
  months: string[],
  series: { label: string; values: (number | null)[] }[],
  yMax: number | undefined = 100,
): HTMLElement {
  const { box, canvas } = chartBox(label, 'trend-chart', 200)
  draw(canvas, {
    type: 'line',
    data: {
      labels: months,
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.values,
        borderColor: CHART_COLOURS[i % CHART_COLOURS.length],
        backgroundColor: CHART_COLOURS[i % CHART_COLOURS.length],
        spanGaps: true,
        tension: 0.2,
        pointRadius: 3,
      })),
    },
    options: {
      ...baseOptions,
      scales: {
        x: { ticks: { font: FONT } },
        y: { min: 0, max: yMax, ticks: { font: FONT } },
      },
    },
  })
  return box
}
