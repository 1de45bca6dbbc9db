#!/usr/bin/env node
import { parseCliArgs, USAGE } from './cli-args.js';
import { PROVIDER_NAMES } from './provider-name.js';
import { startSimulator } from './server.js';

// `node packages/simulator/dist/bin.js --port 4010`: runs until SIGINT or SIGTERM.
async function main(): Promise<void> {
  const { options, help } = parseCliArgs(process.argv.slice(2));
  if (help) {
    console.log(USAGE);
    return;
  }
  const sim = await startSimulator(options);
  const served = options.providers ?? PROVIDER_NAMES;
  console.log(`stockade simulator listening on ${sim.origin} (seed ${String(options.seed ?? 1)})`);
  for (const provider of served) console.log(`  ${provider.padEnd(13)} ${sim.url(provider)}`);
  console.log(`  control       ${sim.origin}/__sim/faults, ${sim.origin}/__sim/stats`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping`);
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
