import type { TestProject } from 'vitest/node';
import { type RedisServer, redisServerAvailable, startRedisServer } from './redis-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `redis://127.0.0.1:PORT` of the suite's shared redis-server, or `null` when none could start. */
    redisUrl: string | null;
  }
}

let server: RedisServer | null = null;

/**
 * Starts one private redis-server for the whole run and hands its URL to the tests through
 * `inject('redisUrl')`. Suites that need Redis skip (and say why) when it is not installed.
 */
export async function setup(project: TestProject): Promise<void> {
  if (!redisServerAvailable()) {
    console.warn(
      'redis-server is not installed: the suites that need Redis are skipped (apt-get install redis-server).',
    );
    project.provide('redisUrl', null);
    return;
  }
  server = await startRedisServer();
  project.provide('redisUrl', server.url);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  server = null;
}
