import type { Command } from './command.js';
import { backtestCommand } from './commands/backtest.js';
import { barsCommand } from './commands/bars.js';
import { configCommand } from './commands/config.js';
import { healthCommand } from './commands/health.js';
import { preflightCommand } from './commands/preflight.js';
import { quoteCommand } from './commands/quote.js';
import { signalsCommand } from './commands/signals.js';
import { simulateCommand } from './commands/simulate.js';
import { streamCommand } from './commands/stream.js';

/** Every `stockade` command, in the order `stockade --help` lists them. */
export const COMMANDS: readonly Command[] = [
  quoteCommand,
  streamCommand,
  barsCommand,
  healthCommand,
  preflightCommand,
  signalsCommand,
  backtestCommand,
  simulateCommand,
  configCommand,
];
