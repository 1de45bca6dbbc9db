import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCaptured } from './captured-io.test-support.js';
import { COMMANDS } from './command-catalog.js';

describe('runCli', () => {
  it('lists every command with --help and exits 0', async () => {
    const run = await runCaptured(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout.startsWith('Usage: stockade <command>')).toBe(true);
    const listed = run.stdout
      .split('\n')
      .filter((l) => /^ {2}[a-z]+ {2,}/.test(l))
      .map((l) => l.trim().split(/ +/)[0]);
    expect(listed).toEqual([
      'quote',
      'stream',
      'bars',
      'health',
      'preflight',
      'signals',
      'backtest',
      'simulate',
      'config',
    ]);
    expect(run.stdout).toContain('--simulator <url>');
    expect(run.stdout).toContain('2 usage error');
  });

  it.each(COMMANDS.map((c) => c.name))('prints the help of %s with --help, -h and help <command>', async (name) => {
    const [long, short, word] = await Promise.all([
      runCaptured([name, '--help']),
      runCaptured(['-h', name]),
      runCaptured(['help', name]),
    ]);
    for (const run of [long, short, word]) {
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout.startsWith(`Usage: stockade ${name}`)).toBe(true);
      expect(run.stdout).toContain('Global options: --json, --simulator <url>');
    }
    expect(short.stdout).toBe(long.stdout);
    expect(word.stdout).toBe(long.stdout);
  });

  it('prints the version of the package with --version', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    const run = await runCaptured(['--version']);
    expect(run).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
  });

  it('exits 2 with the usage when no command is given', async () => {
    const run = await runCaptured([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.startsWith('error: no command given\n\nUsage: stockade')).toBe(true);
  });

  it('exits 2 for an unknown command and suggests the near one', async () => {
    const run = await runCaptured(['quotes', 'AAPL']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: unknown command "quotes"; did you mean quote?\n(see stockade --help)\n');
  });

  it('exits 2 for an unknown option, naming it and the help to read', async () => {
    const after = await runCaptured(['quote', 'AAPL', '--colour']);
    expect(after.code).toBe(2);
    expect(after.stderr).toBe('error: unknown option --colour\n(see stockade quote --help)\n');
    const before = await runCaptured(['--colour', 'quote', 'AAPL']);
    expect(before.code).toBe(2);
    expect(before.stderr).toContain('error: unknown option --colour (command options go after the command)');
    const missing = await runCaptured(['bars', 'AAPL', '--from']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error: option --from needs a value');
  });

  it('exits 2 when a command is missing its argument', async () => {
    const run = await runCaptured(['quote']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: quote needs a symbol');
    const extra = await runCaptured(['preflight', 'now']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('error: preflight takes no arguments, got now');
  });

  it('refuses a --simulator that is not a URL', async () => {
    const run = await runCaptured(['quote', 'AAPL', '--simulator', 'localhost4010']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--simulator must be a URL such as http://127.0.0.1:4010, got "localhost4010"');
  });

  it('exits 130 when interrupted before the work is done', async () => {
    const controller = new AbortController();
    controller.abort(new DOMException('interrupted by SIGINT', 'AbortError'));
    const run = await runCaptured(['bars', 'AAPL', '--from', '2026-01-02', '--to', '2026-01-09'], {
      signal: controller.signal,
    });
    expect(run).toEqual({ code: 130, stdout: '', stderr: 'interrupted\n' });
  });
});
