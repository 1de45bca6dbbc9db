import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';

// The README's example is part of the package's contract: it runs here as written, and prints what its comments say.
const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const snippet = readme.match(/```ts\n([\s\S]*?)```/)?.[1] ?? '';
const dir = mkdtempSync(join(tmpdir(), 'stockade-consensus-readme-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('README example', () => {
  it('prints the vote, the price consensus, the weights and the config error its comments show', async () => {
    const file = join(dir, 'snippet.ts');
    writeFileSync(file, snippet);
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    });
    try {
      await import(pathToFileURL(file).href);
    } finally {
      log.mockRestore();
    }
    expect(lines[0]).toBe(
      'BUY 0.49 BUY: score +0.62, participation 80% of 5 agents; top: rsi BUY +0.31, emaCross BUY +0.27, smaCross BUY +0.23',
    );
    expect(lines[1]).toBe('187.42 0.75 ["alphavantage: mad"]');
    const hedge = JSON.parse(lines[2] as string) as Record<string, number>;
    expect(hedge.rsi).toBeCloseTo(1.146, 3);
    expect(hedge.smaCross).toBeCloseTo(0.854, 3);
    const beta = JSON.parse(lines[3] as string) as Record<string, number>;
    expect(beta.rsi).toBeCloseTo(1.333, 3);
    expect(beta.smaCross).toBeCloseTo(0.8, 3);
    expect(lines[4]).toContain('consensus.weights.rsii: no agent named "rsii"');
    expect(lines[4]).toContain('did you mean "rsi"?');
  });
});
