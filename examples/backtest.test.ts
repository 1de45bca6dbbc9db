import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExample } from './test-support/run-example.js';

/**
 * Checks that `text` is well-formed XML whose root is an SVG element, and returns the names of the
 * elements in document order. Enough XML to catch a broken document: every tag closed in order,
 * attributes quoted, entities known, nothing outside the root.
 */
function svgElements(text: string): string[] {
  const body = text.replace(/^<\?xml[^>]*\?>\s*/, '').trim();
  const token =
    /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<!--[\s\S]*?-->|([^<]+)/y;
  const open: string[] = [];
  const names: string[] = [];
  let index = 0;
  while (index < body.length) {
    token.lastIndex = index;
    const m = token.exec(body);
    if (m === null) throw new Error(`not well-formed XML at offset ${index}: ${body.slice(index, index + 40)}`);
    index = token.lastIndex;
    const [, closing, name, , selfClosing, textRun] = m;
    if (textRun !== undefined) {
      if (open.length === 0 && textRun.trim() !== '') throw new Error('text outside the root element');
      const bad = textRun.match(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);)/);
      if (bad) throw new Error(`bare & in text near ${textRun.slice(0, 40)}`);
      continue;
    }
    if (name === undefined) continue; // a comment
    if (closing) {
      if (open.pop() !== name) throw new Error(`</${name}> closes the wrong element`);
      if (open.length === 0 && index < body.length) throw new Error('content after the root element');
      continue;
    }
    if (names.length === 0 && name !== 'svg') throw new Error(`the root element is <${name}>, not <svg>`);
    if (names.length > 0 && open.length === 0) throw new Error('a second root element');
    names.push(name);
    if (!selfClosing) open.push(name);
  }
  if (open.length > 0) throw new Error(`unclosed elements: ${open.join(', ')}`);
  return names;
}

describe('examples/backtest.ts', () => {
  it('backtests the real SPY series with finite figures and writes a well-formed SVG equity curve', async () => {
    const svgPath = join(mkdtempSync(join(tmpdir(), 'stockade-example-')), 'curve.svg');
    const { code, stdout, stderr } = await runExample('backtest.ts', ['--json', svgPath]);
    expect(code, stderr).toBe(0);
    const figures = JSON.parse(stdout) as Record<string, unknown>;
    expect(figures).toMatchObject({ symbol: 'SPY', from: '2019-06-24', to: '2020-08-28', bars: 300, svg: svgPath });
    for (const name of ['totalReturn', 'buyAndHoldReturn', 'maxDrawdown', 'exposure', 'finalEquity', 'sharpe']) {
      expect(Number.isFinite(figures[name]), name).toBe(true);
    }
    expect(figures.trades).toBeGreaterThan(0);
    for (const name of ['winRate', 'profitFactor', 'expectancy'])
      expect(Number.isFinite(figures[name]), name).toBe(true);
    // SPY closed 2020-08-28 at 350.58 against a 294.23 open on 2019-06-24: the passive return is real data's.
    expect(figures.buyAndHoldReturn as number).toBeCloseTo(350.58 / 294.23 - 1, 2);
    expect(figures.maxDrawdown as number).toBeGreaterThan(0);
    expect(figures.maxDrawdown as number).toBeLessThan(1);

    const svg = readFileSync(svgPath, 'utf8');
    const elements = svgElements(svg);
    expect(elements[0]).toBe('svg');
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(elements).toContain('polyline');
  });

  it('prints a readable report naming where the equity curve went', async () => {
    const { code, stdout, stderr } = await runExample('backtest.ts');
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/^SPY 2019-06-24 \.\. 2020-08-28: 300 daily bars, \d+ signals$/m);
    expect(stdout).toMatch(/^total return\s+-?\d+\.\d{2}% \(buy and hold \d+\.\d{2}%\)$/m);
    const svgPath = /^equity curve\s+(\S+)$/m.exec(stdout)?.[1];
    expect(svgPath).toMatch(/stockade-backtest-.*spy\.svg$/);
    expect(svgElements(readFileSync(svgPath as string, 'utf8'))[0]).toBe('svg');
  });
});
