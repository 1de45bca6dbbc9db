import { inject } from 'vitest';

/** The shared test redis-server URL, or `null` when Redis suites must skip. */
export function redisUrl(): string | null {
  return inject('redisUrl');
}

/** A unique key prefix per test file, so suites sharing one server never collide. */
export function testPrefix(name: string): string {
  return `stockade-test:${name}:${process.pid}:${Math.random().toString(36).slice(2, 8)}:`;
}
