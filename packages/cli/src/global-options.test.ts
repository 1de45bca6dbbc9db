import { describe, expect, it } from 'vitest';
import { splitCommandLine } from './global-options.js';
import { UsageError } from './usage-error.js';

describe('splitCommandLine', () => {
  it('takes global options from before and after the command and leaves the rest in order', () => {
    const split = splitCommandLine([
      '--simulator',
      'http://127.0.0.1:4010',
      'bars',
      'AAPL',
      '--interval',
      '1d',
      '--json',
      '--config=prod.json',
      '--from',
      '2026-01-01',
    ]);
    expect(split.command).toBe('bars');
    expect(split.global).toEqual({
      json: true,
      simulator: 'http://127.0.0.1:4010',
      config: 'prod.json',
      verbose: false,
    });
    expect(split.rest).toEqual(['AAPL', '--interval', '1d', '--from', '2026-01-01']);
  });

  it('passes everything after -- to the command untouched', () => {
    const split = splitCommandLine(['quote', '--', '--json']);
    expect(split.global.json).toBe(false);
    expect(split.rest).toEqual(['--', '--json']);
  });

  it('sees --help, -h and --version anywhere', () => {
    expect(splitCommandLine(['quote', '-h'])).toMatchObject({ command: 'quote', help: true });
    expect(splitCommandLine(['--version'])).toMatchObject({ command: undefined, version: true });
  });

  it('refuses a global option without its value', () => {
    expect(() => splitCommandLine(['quote', 'AAPL', '--simulator'])).toThrow(UsageError);
    expect(() => splitCommandLine(['--config', '--json', 'quote'])).toThrow('option --config needs a value');
  });
});
