import type { RunResult } from './run.ts'

const COLORS: Record<string, string> = { 'plumtree/tcp': '#1b7837', 'plumtree/quic': '#5aae61', 'gossipsub/tcp': '#762a83', 'gossipsub/quic': '#c2a5cf' }

function esc (s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Latency CDF, log-scaled x axis (1 ms … max), one line per run */
function cdfSvg (runs: RunResult[]): string {
  const w = 640
  const h = 320
  const pad = 50
  const maxMs = Math.max(10, ...runs.flatMap(r => r.cdf.map(([ms]) => ms)))
  const x = (ms: number): number => pad + (Math.log10(Math.max(1, ms)) / Math.log10(maxMs)) * (w - 2 * pad)
  const y = (f: number): number => h - pad + -f * (h - 2 * pad)
  const lines = runs.map(r => {
    const key = `${r.protocol}/${r.transport}`
    const pts = r.cdf.map(([ms, f]) => `${x(ms).toFixed(1)},${y(f).toFixed(1)}`).join(' ')
    return `<polyline fill="none" stroke="${COLORS[key] ?? '#333'}" stroke-width="2" points="${pts}"><title>${esc(key)}</title></polyline>`
  }).join('\n')
  const ticks = [1, 10, 100, 1000, 10000].filter(t => t <= maxMs).map(t => `<line x1="${x(t)}" y1="${h - pad}" x2="${x(t)}" y2="${pad}" stroke="#ddd"/><text x="${x(t)}" y="${h - pad + 16}" text-anchor="middle" font-size="11">${t} ms</text>`).join('')
  const yticks = [0, 0.5, 0.95, 1].map(f => `<line x1="${pad}" y1="${y(f)}" x2="${w - pad}" y2="${y(f)}" stroke="#eee"/><text x="${pad - 6}" y="${y(f) + 4}" text-anchor="end" font-size="11">${f}</text>`).join('')
  return `<svg width="${w}" height="${h}" xmlns="http://www.w3.org/2000/svg">${ticks}${yticks}${lines}<text x="${w / 2}" y="${h - 10}" text-anchor="middle" font-size="12">publish → delivery latency (log scale)</text></svg>`
}

function barsSvg (runs: RunResult[], value: (r: RunResult) => number, unit: string): string {
  const w = 640
  const barH = 26
  const h = runs.length * (barH + 10) + 20
  const max = Math.max(1, ...runs.map(value))
  return `<svg width="${w}" height="${h}" xmlns="http://www.w3.org/2000/svg">${runs.map((r, i) => {
    const key = `${r.protocol}/${r.transport}`
    const v = value(r)
    const len = (Number.isFinite(v) ? v : 0) / max * (w - 260)
    const y0 = 10 + i * (barH + 10)
    return `<text x="0" y="${y0 + 17}" font-size="12">${esc(key)}</text><rect x="120" y="${y0}" width="${len.toFixed(1)}" height="${barH}" fill="${COLORS[key] ?? '#333'}"/><text x="${125 + len}" y="${y0 + 17}" font-size="12">${Number.isFinite(v) ? v.toLocaleString('en') : 'n/a'} ${unit}</text>`
  }).join('')}</svg>`
}

/** A self-contained HTML report (inline SVG, no scripts, no server) */
export function htmlReport (title: string, runs: RunResult[], meta: Record<string, unknown>, extra = ''): string {
  const rows = runs.map(r => `<tr><td>${esc(r.protocol)}</td><td>${esc(r.transport)}</td><td>${r.nodes}</td><td>${(r.deliveryRatio * 100).toFixed(2)}%</td><td>${r.duplicatesToApps}</td><td>${r.latencyMs.p50}</td><td>${r.latencyMs.p95}</td><td>${r.latencyMs.p99}</td><td>${r.bytesPerDelivered.toLocaleString('en')}</td><td>${r.cpuSecondsPerNode}</td><td>${r.rssPerNodeMB.mean} / ${r.rssPerNodeMB.max}</td></tr>`).join('\n')
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}pre{background:#f8f8f8;padding:1em;overflow:auto}</style></head><body>
<h1>${esc(title)}</h1>
<p>${esc(String(meta.description ?? ''))}</p>
<table><tr><th>protocol</th><th>transport</th><th>nodes</th><th>delivery</th><th>duplicates to apps</th><th>P50 ms</th><th>P95 ms</th><th>P99 ms</th><th>wire bytes / delivered msg</th><th>CPU s / node</th><th>RSS MB / node (mean / max process)</th></tr>
${rows}</table>
<h2>Latency CDF</h2>${cdfSvg(runs)}
<h2>Bytes on the wire per delivered message</h2>${barsSvg(runs, r => r.bytesPerDelivered, 'B')}
<h2>RSS per node</h2>${barsSvg(runs, r => r.rssPerNodeMB.mean, 'MB')}
${extra}
<h2>Parameters</h2><pre>${esc(JSON.stringify(meta, null, 2))}</pre>
</body></html>
`
}
