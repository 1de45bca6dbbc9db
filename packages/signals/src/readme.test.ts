import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

// The README's examples are part of the package's contract: each ```ts block runs here as written.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const snippets = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] as string);
const dir = mkdtempSync(join(tmpdir(), 'stockade-signals-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(index: number): Promise<string[]> {
  const file = join(dir, `snippet-${index}.ts`);
  writeFileSync(file, snippets[index] as string);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
    lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  });
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    process.chdir(cwd);
    log.mockRestore();
  }
  return lines;
}

describe('README examples', () => {
  it('has the indicator, agent/engine, quality and backtest examples', () => {
    expect(snippets).toHaveLength(4);
  });

  it('indicators: prints what its comment says', async () => {
    const out = await run(0);
    expect(out[0]).toBe('true 66.25 46.018');
    expect(out[1]).toMatch(/"macd":.*"signal":.*"histogram":.*"upper":.*"middle":.*"lower":/);
  });

  it('a custom agent runs in the engine next to built-ins and emits signals', async () => {
    const out = await run(1);
    expect(out.length).toBeGreaterThanOrEqual(2);
    expect(out[0]).toMatch(/^\d{4}-\d{2}-\d{2} (BUY|SELL) \d\.\d{2} (BUY|SELL): score/);
    expect(out.at(-1)).toMatch(/gap: .* µs/);
  });

  it('signal quality: reports per agent', async () => {
    const out = await run(2);
    expect(out.some((l) => /^\w+ \d+ \d\.\d{2} \{"low":/.test(l))).toBe(true);
  });

  it('backtest: writes the JSON curve and an SVG chart', async () => {
    const out = await run(3);
    expect(out[0]).toMatch(/"trades":\d+/);
    expect(readFileSync(join(dir, 'backtest.svg'), 'utf8')).toMatch(/^<svg xmlns/);
    expect(JSON.parse(readFileSync(join(dir, 'backtest.json'), 'utf8')).points).toHaveLength(500);
  });
});
