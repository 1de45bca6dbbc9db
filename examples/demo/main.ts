// `npm start`: the MarketDataManager on the embedded simulator, with faults midway, in a live
// terminal view; `--live` runs the same view against the real APIs. See demo-options.ts for flags.
import { StockadeError } from '@stockade/core';
import { parseDemoArgs, USAGE } from './demo-options.js';
import { type DemoWorld, NoKeysError, startLiveWorld, startSimulatorWorld } from './demo-world.js';
import { runDemo } from './run-demo.js';

/**
 * Runs the demo with `argv` (flags only) and returns the process exit code: 0 after a full run,
 * 1 when the options, the configuration or the start failed (the reason is printed on stderr).
 */
export async function main(argv: readonly string[]): Promise<number> {
  let options: ReturnType<typeof parseDemoArgs>;
  try {
    options = parseDemoArgs(argv, process.env);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let world: DemoWorld;
  try {
    world = options.mode === 'live' ? await startLiveWorld() : await startSimulatorWorld(options);
  } catch (err) {
    if (err instanceof NoKeysError) {
      process.stderr.write(
        `npm start -- --live needs at least one provider API key in the environment.\n${err.message}\n`,
      );
    } else {
      const what = err instanceof StockadeError ? err.message : String((err as Error).stack ?? err);
      process.stderr.write(`The demo could not start: ${what}\n`);
    }
    return 1;
  }
  // Ctrl-C ends the run early; the summary is still printed and everything closed.
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once('SIGINT', onSigint);
  const tty = process.stdout.isTTY === true;
  try {
    await runDemo(
      world,
      options,
      { write: (s) => process.stdout.write(s), tty, columns: Math.max(80, process.stdout.columns || 120) },
      stop.signal,
    );
    return 0;
  } catch (err) {
    if (tty) process.stdout.write('\x1b[?25h');
    process.stderr.write(`The demo failed: ${String((err as Error).stack ?? err)}\n`);
    await world.close().catch(() => {});
    return 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
