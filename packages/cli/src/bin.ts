#!/usr/bin/env node
import { runCli } from './run-cli.js';

// The first SIGINT or SIGTERM asks the command to stop (the simulator stops cleanly, a backtest
// is abandoned); a second one ends the process at once.
const controller = new AbortController();
let signals = 0;
const interrupt = (name: NodeJS.Signals) => {
  signals += 1;
  if (signals > 1) process.exit(130);
  controller.abort(new DOMException(`interrupted by ${name}`, 'AbortError'));
};
process.on('SIGINT', interrupt);
process.on('SIGTERM', interrupt);
// `stockade bars AAPL | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  signal: controller.signal,
});
process.off('SIGINT', interrupt);
process.off('SIGTERM', interrupt);
process.exitCode = code;
