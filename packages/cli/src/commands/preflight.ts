import type { Command } from '../command.js';
import { parseCommandLine } from '../command-line.js';
import { ExitCode } from '../exit-codes.js';
import { withManager } from '../manager-session.js';

const USAGE = `Usage: stockade preflight [options]

Checks what a deployment needs before it takes traffic: the config, each provider's key (its
shape; no key is printed), Redis when configured, and one probe request per enabled provider.
Every warning and failure comes with its fix.

Options:
  --json         the report as JSON: { ok, checks: [{ name, status, message, fix? }] }
  -h, --help     this text

Exits 1 when any check failed (warnings do not fail it).

Examples:
  stockade preflight
  stockade preflight --json | jq '.checks[] | select(.status != "ok")'`;

/** `stockade preflight`: config, keys, Redis and a probe per provider; exits 1 on a failed check. */
export const preflightCommand: Command = {
  name: 'preflight',
  summary: 'deployment checks, each failure with its fix: stockade preflight',
  usage: USAGE,
  async run(ctx) {
    parseCommandLine('preflight', ctx.argv, {}, { name: 'argument', max: 0 });
    const report = await withManager(ctx, (md) => md.preflight({ signal: ctx.signal }));
    if (ctx.out.json) {
      ctx.out.writeJson(report);
    } else {
      ctx.out.writeTable(
        [{ header: 'Check' }, { header: 'Status' }, { header: 'Message' }, { header: 'Fix', optional: true }],
        report.checks.map((c) => [c.name, c.status, c.message, c.fix ?? '']),
      );
      const failed = report.checks.filter((c) => c.status === 'fail').length;
      const warned = report.checks.filter((c) => c.status === 'warn').length;
      const total = report.checks.length;
      ctx.out.writeLine(
        failed > 0
          ? `preflight failed: ${failed} of ${total} checks failed${warned > 0 ? `, ${warned} warned` : ''}`
          : `preflight passed: ${total - warned} of ${total} checks ok${warned > 0 ? `, ${warned} warned` : ''}`,
      );
    }
    return report.ok ? ExitCode.ok : ExitCode.failure;
  },
};
