import type { HealthReport } from '@stockade/core';
import { numberArgument } from '../argument-values.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-line.js';
import { ExitCode } from '../exit-codes.js';
import { withManager } from '../manager-session.js';
import { formatMs, formatQuantity, formatRatio } from '../output/figures.js';
import type { Output } from '../output/output.js';

const USAGE = `Usage: stockade health [options]

The health report: each provider's status, success rate, latency, breaker and quota left, the
cache and Redis, and the named checks of the level asked.

Options:
  --level <n>    1 liveness, 2 readiness (default): config, a usable provider, Redis when
                 configured; 3 deep: level 2 plus one probe request per provider (it counts
                 against each provider's quota)
  --json         the HealthReport as JSON
  -h, --help     this text

Exits 1 when the status is unhealthy (degraded still exits 0).

Examples:
  stockade health
  stockade health --level 3 --json`;

function writeReport(out: Output, report: HealthReport): void {
  const probes = report.level === 3;
  out.writeTable(
    [
      { header: 'Provider' },
      { header: 'Status' },
      { header: 'Requests', align: 'right' },
      { header: 'Success', align: 'right' },
      { header: 'p50', align: 'right' },
      { header: 'p95', align: 'right' },
      { header: 'Breaker' },
      { header: 'Quota left', align: 'right' },
      ...(probes ? [{ header: 'Probe' }] : []),
      { header: 'Last error', optional: true },
    ],
    Object.entries(report.providers).map(([name, p]) => [
      name,
      p.enabled ? p.status : 'disabled',
      formatQuantity(p.requests),
      formatRatio(p.successRate),
      formatMs(p.latencyMs.p50),
      formatMs(p.latencyMs.p95),
      p.breaker,
      p.quotaLeft === null ? 'unlimited' : formatQuantity(p.quotaLeft),
      ...(probes
        ? [
            p.probe === undefined
              ? '-'
              : p.probe.ok
                ? `ok ${formatMs(p.probe.latencyMs)}`
                : `failed: ${p.probe.error ?? ''}`,
          ]
        : []),
      p.lastError === undefined ? '' : `${p.lastError.kind}: ${p.lastError.message}`,
    ]),
  );
  if (report.checks.length > 0) {
    out.writeTable(
      [{ header: 'Check' }, { header: 'Status' }, { header: 'Message' }, { header: 'Fix', optional: true }],
      report.checks.map((c) => [c.name, c.status, c.message, c.fix ?? '']),
    );
  }
  const l1 = report.cache.l1;
  out.writeLine(
    `cache: ${report.cache.status} (L1 ${formatQuantity(l1.entries)} entries, ${formatQuantity(l1.bytes)} bytes; L2 ${report.cache.l2.status}); redis: ${report.redis.status}`,
  );
  out.writeLine(`status: ${report.status} (level ${report.level}, stockade ${report.version})`);
}

/** `stockade health [--level 3]`: the manager's health report; exits 1 when unhealthy. */
export const healthCommand: Command = {
  name: 'health',
  summary: 'provider, cache and Redis health: stockade health --level 3',
  usage: USAGE,
  async run(ctx) {
    const { values } = parseCommandLine(
      'health',
      ctx.argv,
      { level: { type: 'string' } },
      { name: 'argument', max: 0 },
    );
    const level = numberArgument('health', 'level', values.level ?? '2', { min: 1, max: 3, integer: true }) as
      | 1
      | 2
      | 3;
    const report = await withManager(ctx, (md) => md.health({ level, signal: ctx.signal }));
    if (ctx.out.json) ctx.out.writeJson(report);
    else writeReport(ctx.out, report);
    return report.status === 'unhealthy' ? ExitCode.failure : ExitCode.ok;
  },
};
