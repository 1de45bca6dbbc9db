import { mkdirSync, writeFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { redisUrl, testPrefix } from '../support/redis.js';
import { expectSharedAcrossProcesses, processesSection } from './processes-report.js';
import { runProcessesScenario } from './processes-run.js';

const url = redisUrl();

describe.skipIf(!url)('four processes on one Redis', () => {
  it('load each key about once per TTL between them and never pass a provider quota together', async () => {
    const figures = await runProcessesScenario({ url: url as string }, testPrefix('processes'));
    mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
    writeFileSync(
      new URL('./results/processes.md', import.meta.url),
      `## Many processes\n\n${processesSection('One Redis', figures)}`,
    );
    expectSharedAcrossProcesses(figures);
  }, 90_000);
});
