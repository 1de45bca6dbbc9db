import type { BacktestResult } from './backtest.js';

/** Options of {@link equityCurveSvg}. */
export interface EquityChartOptions {
  /** Width in pixels. @default 900 */
  width?: number;
  /** Height in pixels. @default 420 */
  height?: number;
  /** Title line. @default '<symbol> backtest: equity vs buy and hold' */
  title?: string;
}

const escapeXml = (s: string) =>
  s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] as string);
const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

/**
 * The equity curve of a backtest as a standalone SVG document (open it in any browser): strategy
 * equity against buy-and-hold, the drawdown shaded below, entries and exits marked, and the key
 * figures in the header. Pure string building: no DOM, no dependency.
 *
 * @example
 * writeFileSync('spy-backtest.svg', equityCurveSvg(backtest({ series, agents })));
 */
export function equityCurveSvg(result: BacktestResult, options: EquityChartOptions = {}): string {
  const width = options.width ?? 900;
  const height = options.height ?? 420;
  const title = options.title ?? `${result.symbol} backtest: equity vs buy and hold`;
  const pad = { left: 70, right: 20, top: 56, bottom: 40 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const points = result.equity;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    lo = Math.min(lo, p.equity, p.buyAndHold);
    hi = Math.max(hi, p.equity, p.buyAndHold);
  }
  if (!(hi > lo)) {
    lo -= 1;
    hi += 1;
  }
  const n = Math.max(1, points.length - 1);
  const x = (i: number) => (pad.left + (plotW * i) / n).toFixed(1);
  const y = (v: number) => (pad.top + plotH * (1 - (v - lo) / (hi - lo))).toFixed(1);
  const line = (pick: (p: (typeof points)[number]) => number) =>
    points.map((p, i) => `${x(i)},${y(pick(p))}`).join(' ');
  const ddBase = pad.top + plotH;
  const ddScale = plotH * 0.25;
  const drawdown = [
    `${x(0)},${ddBase}`,
    ...points.map((p, i) => `${x(i)},${(ddBase - p.drawdown * ddScale * 2).toFixed(1)}`),
    `${x(points.length - 1)},${ddBase}`,
  ].join(' ');
  const indexOf = new Map(points.map((p, i) => [p.t, i]));
  const markers = result.trades.flatMap((t) => {
    const a = indexOf.get(t.entryAt);
    const b = indexOf.get(t.exitAt);
    const out: string[] = [];
    if (a !== undefined) {
      out.push(
        `<circle cx="${x(a)}" cy="${y(points[a]?.equity ?? lo)}" r="3.5" fill="#2e7d32"><title>${t.side} entry ${day(t.entryAt)} @ ${t.entryPrice.toFixed(2)}</title></circle>`,
      );
    }
    if (b !== undefined) {
      out.push(
        `<circle cx="${x(b)}" cy="${y(points[b]?.equity ?? lo)}" r="3.5" fill="#c62828"><title>exit ${day(t.exitAt)} @ ${t.exitPrice.toFixed(2)}: ${pct(t.return)}</title></circle>`,
      );
    }
    return out;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = lo + (hi - lo) * f;
    return `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${pad.left - 6}" y="${y(v)}" text-anchor="end" dominant-baseline="middle">${v.toFixed(0)}</text>`;
  });
  const first = points[0];
  const lastPoint = points[points.length - 1];
  const figures = `total ${pct(result.totalReturn)} · buy & hold ${pct(result.buyAndHoldReturn)} · Sharpe ${result.sharpe === null ? 'n/a' : result.sharpe.toFixed(2)} · max drawdown ${pct(result.maxDrawdown)} · ${result.trades.length} trades, win rate ${pct(result.winRate)} · exposure ${pct(result.exposure)}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${pad.left}" y="20" font-size="15" font-weight="600">${escapeXml(title)}</text>`,
    `<text x="${pad.left}" y="38" fill="#555">${escapeXml(figures)}</text>`,
    ...ticks,
    `<polygon points="${drawdown}" fill="#c62828" fill-opacity="0.15"><title>drawdown</title></polygon>`,
    `<polyline points="${line((p) => p.buyAndHold)}" fill="none" stroke="#9e9e9e" stroke-width="1.2" stroke-dasharray="4 3"/>`,
    `<polyline points="${line((p) => p.equity)}" fill="none" stroke="#1565c0" stroke-width="1.8"/>`,
    ...markers,
    first ? `<text x="${x(0)}" y="${height - 14}">${day(first.t)}</text>` : '',
    lastPoint
      ? `<text x="${x(points.length - 1)}" y="${height - 14}" text-anchor="end">${day(lastPoint.t)}</text>`
      : '',
    `<text x="${width - pad.right}" y="${pad.top - 6}" text-anchor="end"><tspan fill="#1565c0">━ strategy</tspan>  <tspan fill="#9e9e9e">┅ buy &amp; hold</tspan>  <tspan fill="#c62828">▒ drawdown</tspan></text>`,
    '</svg>',
  ].join('\n');
}

/** The equity curve as JSON: `{ symbol, points: [{ t, date, equity, buyAndHold, drawdown, position }] }`. */
export function equityCurveJson(result: BacktestResult): string {
  return JSON.stringify({
    symbol: result.symbol,
    points: result.equity.map((p) => ({ ...p, date: day(p.t) })),
  });
}
