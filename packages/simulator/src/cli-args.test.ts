import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';

describe('stockade-simulator command line', () => {
  it('reads port, seed, symbols, providers, faults and the free tier', () => {
    const files: Record<string, string> = {
      'f.json': '{"polygon":{"badKey":true},"alphavantage":{"quota":{"perMinute":2}}}',
    };
    const { options } = parseCliArgs(
      [
        '--port',
        '0',
        '--seed',
        '7',
        '--symbols',
        'AAPL,BTC-USD',
        '--providers',
        'yahoo,polygon',
        '--faults',
        'f.json',
        '--free-tier',
      ],
      (p) => files[p] ?? '',
    );
    expect(options).toMatchObject({ port: 0, seed: 7, symbols: ['AAPL', 'BTC-USD'], providers: ['yahoo', 'polygon'] });
    expect(options.faults).toEqual({
      polygon: { quota: { perMinute: 5 }, badKey: true },
      alphavantage: { quota: { perMinute: 2 } },
      massive: { quota: { perMinute: 5 } },
    });
  });

  it('starts a simulated clock at --start running --speed times real time', () => {
    const { options } = parseCliArgs(['--start', '2026-03-10T14:30:00Z', '--speed', '60']);
    const now = options.clock?.now() ?? 0;
    expect(now).toBeGreaterThanOrEqual(Date.parse('2026-03-10T14:30:00Z'));
    expect(now).toBeLessThan(Date.parse('2026-03-10T15:30:00Z'));
  });

  it('names the flag that is wrong', () => {
    expect(() => parseCliArgs(['--port', 'x'])).toThrow(ConfigError);
    expect(() => parseCliArgs(['--port'])).toThrow(/--port/);
    expect(() => parseCliArgs(['--nope', '1'])).toThrow(/--nope/);
    expect(() => parseCliArgs(['--providers', 'bing'])).toThrow(/unknown provider bing/);
    expect(() => parseCliArgs(['--faults', 'x.json'], () => 'not json')).toThrow(/not JSON/);
    expect(parseCliArgs(['--help']).help).toBe(true);
  });

  it('runs as a process that prints its URLs, serves, and exits 0 on SIGTERM', async () => {
    const bin = fileURLToPath(new URL('./bin.ts', import.meta.url));
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', bin, '--port', '0', '--seed', '3'],
      {
        cwd: fileURLToPath(new URL('../../..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    const base = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /polygon\s+(http:\/\/\S+)/.exec(out);
        if (m?.[1] !== undefined) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
    });
    expect(out).toMatch(/yahoo\s+http:\/\/127\.0\.0\.1:\d+\/yahoo/);
    expect((await fetch(`${base}/v2/aggs/ticker/AAPL/prev?apiKey=k`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
