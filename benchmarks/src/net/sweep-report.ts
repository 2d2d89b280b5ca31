import * as vega from 'vega'
import { compile } from 'vega-lite'
import type { SweepRun } from './sweep.ts'
import type { TopLevelSpec } from 'vega-lite'

/** A Vega-Lite spec rendered to static SVG in Node (no browser, no server) */
async function svg (spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  return view.toSVG()
}

function esc (s: string): string {
  return s.replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c] ?? c))
}

/** The sweep's HTML report: latency-vs-rate and delivery-vs-rate curves, the step table, the JSON */
export async function sweepHtml (runs: SweepRun[], summary: Record<string, unknown>): Promise<string> {
  const rows = runs.flatMap(r => r.steps.filter(s => s.size === 1024 && s.warmUp !== true).map(s => ({
    run: `${r.protocol}/${r.transport}`,
    rate: s.rate,
    delivery: s.deliveryRatio * 100,
    p50: Math.max(1, s.latencyMs.p50),
    p99: Math.max(1, s.latencyMs.p99),
    saturated: s.saturated
  })))
  const latencyRows = rows.flatMap(r => [{ ...r, stat: 'P50', ms: r.p50 }, { ...r, stat: 'P99', ms: r.p99 }])
  const latency = await svg({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Publish → delivery latency vs offered rate (1 KiB)',
    width: 520,
    height: 300,
    data: { values: latencyRows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'rate', type: 'quantitative', scale: { type: 'log' }, title: 'offered rate, msg/s (all publishers)' },
      y: { field: 'ms', type: 'quantitative', scale: { type: 'log' }, title: 'latency, ms (log)' },
      color: { field: 'run', type: 'nominal' },
      strokeDash: { field: 'stat', type: 'nominal' }
    }
  })
  const delivery = await svg({
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Delivery vs offered rate (1 KiB)',
    width: 520,
    height: 300,
    data: { values: rows },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'rate', type: 'quantitative', scale: { type: 'log' }, title: 'offered rate, msg/s' },
      y: { field: 'delivery', type: 'quantitative', scale: { domain: [0, 100] }, title: 'delivered, %' },
      color: { field: 'run', type: 'nominal' }
    }
  })
  const table = runs.flatMap(r => r.steps.map(s => `<tr><td>${r.protocol}/${r.transport}${s.warmUp === true ? ' (warm-up)' : ''}</td><td>${s.rate}</td><td>${s.size}</td><td>${(s.deliveryRatio * 100).toFixed(2)}%</td><td>${(s.eventualDeliveryRatio * 100).toFixed(2)}%</td><td>${Math.round(s.latencyMs.p50)}</td><td>${Math.round(s.latencyMs.p95)}</td><td>${Math.round(s.latencyMs.p99)}</td><td>${s.bytesPerDelivered}</td><td>${Math.round(s.machineUtilisation * 100)}%</td><td>${Math.round(s.loopDelayP99Ms)}</td><td>${s.rssPerNodeMB}</td><td>${[s.saturated ? 'saturated' : '', s.collapsed ? 'collapse' : ''].join(' ')}</td></tr>`).concat(r.unresponsiveAt == null ? [] : [`<tr><td>${r.protocol}/${r.transport}</td><td>${r.unresponsiveAt.rate}</td><td>${r.unresponsiveAt.size}</td><td colspan="10">workers unresponsive: not measured, later steps not run</td></tr>`])).join('\n')
  const overview = runs.map(r => `<tr><td>${r.protocol}/${r.transport}</td><td>${r.formed ? (r.formationMs / 1000).toFixed(1) : 'not formed'}</td><td>${r.idle.cpuMsPerNodePerSecond}</td><td>${r.idle.bytesPerNodePerSecond}</td><td>${r.totalCpuSeconds}</td><td>${r.knee ?? 'none'}</td></tr>`).join('\n')
  return `<!doctype html><meta charset="utf-8"><title>Saturation sweep: plumtree vs gossipsub</title>
<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}</style>
<h1>Saturation sweep: plumtree() vs gossipsub()</h1>
<p>Same nodes, keys, contacts and publish schedule for both protocols; steps run one after another on one formed overlay. Knee = highest 1 KiB rate with ≥ 99.9% delivery and P99 ≤ 1 s. Saturated = event-loop delay P99 &gt; 500 ms or CPU &gt; 90% of the cores.</p>
<table><tr><th>run</th><th>formation s</th><th>idle CPU ms/s per node</th><th>idle B/s per node</th><th>CPU s, whole run</th><th>knee msg/s</th></tr>${overview}</table>
<div>${latency}</div><div>${delivery}</div>
<table><tr><th>run</th><th>rate</th><th>size</th><th>delivery by the deadline</th><th>eventual delivery</th><th>P50</th><th>P95</th><th>P99</th><th>B/delivery</th><th>CPU</th><th>loop delay P99</th><th>RSS MB/node</th><th></th></tr>${table}</table>
<pre>${esc(JSON.stringify(summary, null, 2))}</pre>`
}
