import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Directives of the unit file, by section: `{ Service: { Restart: ['always'] } }`. */
function unitDirectives(text: string): Record<string, Record<string, string[]>> {
  const sections: Record<string, Record<string, string[]>> = {};
  let current: Record<string, string[]> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const section = /^\[(\w+)\]$/.exec(line);
    if (section) {
      current = sections[section[1] as string] = {};
      continue;
    }
    const m = /^(\w+)=(.*)$/.exec(line);
    if (!m || current === undefined) throw new Error(`not a unit-file line: ${line}`);
    const key = m[1] as string;
    current[key] = [...(current[key] ?? []), m[2] as string];
  }
  return sections;
}

describe('examples/host-service/stockade.service', () => {
  const unit = unitDirectives(readFileSync(new URL('./stockade.service', import.meta.url), 'utf8'));
  const service = unit.Service ?? {};

  it('runs preflight before starting, restarts always, and stops within a timeout longer than the drain', () => {
    expect(service.Type).toEqual(['simple']);
    expect(service.ExecStartPre?.[0]).toMatch(/\/stockade preflight$/);
    const start = service.ExecStart?.[0] ?? '';
    expect(start).toMatch(/server\.ts/);
    expect(service.Restart).toEqual(['always']);
    expect(Number(service.RestartSec?.[0])).toBeGreaterThan(0);
    const drainSeconds = Number(/--drain-timeout (\d+)/.exec(start)?.[1]) / 1000;
    // The manager's close() waits up to 2 s for calls in flight after the drain.
    expect(Number(service.TimeoutStopSec?.[0])).toBeGreaterThan(drainSeconds + 2);
    expect(service.MemoryMax?.[0]).toMatch(/^\d+[KMG]$/);
  });

  it('runs as a non-root user with keys from an EnvironmentFile and the usual hardening', () => {
    expect(service.User?.[0]).toMatch(/^(?!root$)\w+$/);
    expect(service.EnvironmentFile).toHaveLength(1);
    expect((service.Environment ?? []).join(' ')).not.toMatch(/API_KEY/);
    expect(service.NoNewPrivileges).toEqual(['true']);
    expect(service.ProtectSystem).toEqual(['strict']);
    expect(unit.Install?.WantedBy).toEqual(['multi-user.target']);
  });
});
