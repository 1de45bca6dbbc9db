import type { z } from 'zod';
import { REDACTED, redact } from '../keys/redact.js';
import type { ConfigSource } from './layers.js';
import { isPlainObject } from './layers.js';
import { describeSchema } from './schema-walk.js';
import { isSecretPath, maskUrlCredentials } from './zod-issues.js';

/** One leaf of the configuration: its path, its value (secrets redacted) and where it came from. */
export interface ExplainEntry {
  /** Dotted path, e.g. `cache.ttl.quoteRegularMs` or `providers.alphavantage.quotas.0.limit`. */
  path: string;
  /** The value in effect; API keys show as `[REDACTED] (32 characters)`, URL passwords as `****`. */
  value: unknown;
  /** Which layer set it. */
  source: ConfigSource;
}

/** The value as `explain()` shows it: secrets replaced, other strings redacted. */
function shown(path: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (isSecretPath(path)) return `${REDACTED} (${value.length} characters)`;
  return redact(maskUrlCredentials(value));
}

/**
 * Lists every leaf of `config` — including optional settings left unset, shown as `undefined` —
 * with its value and source, in schema order.
 */
export function explainConfig(
  schema: z.ZodType,
  config: unknown,
  sourceOf: (path: string) => ConfigSource | undefined,
): ExplainEntry[] {
  const out: ExplainEntry[] = [];
  const visit = (s: z.ZodType | undefined, value: unknown, path: string[]) => {
    const node = s === undefined ? undefined : describeSchema(s);
    const key = path.join('.');
    if (node?.kind === 'object' || node?.kind === 'record' || (node === undefined && isPlainObject(value))) {
      const entries = isPlainObject(value) ? value : {};
      const names =
        node?.kind === 'object'
          ? new Set([...Object.keys(node.fields), ...Object.keys(entries)])
          : new Set(Object.keys(entries));
      if (names.size === 0) out.push({ path: key, value: {}, source: sourceOf(key) ?? 'default' });
      for (const name of names) {
        const child =
          node?.kind === 'object'
            ? (node.fields[name] ?? node.catchall)
            : node?.kind === 'record'
              ? node.value
              : undefined;
        visit(child, entries[name], [...path, name]);
      }
      return;
    }
    if (Array.isArray(value) && value.length > 0) {
      value.forEach((item, i) => {
        visit(undefined, item, [...path, String(i)]);
      });
      return;
    }
    out.push({ path: key, value: shown(key, value), source: sourceOf(key) ?? 'default' });
  };
  visit(schema, config, []);
  return out;
}

/**
 * Formats explain entries as an aligned text table (`path  value  source`), for a CLI or a
 * startup log.
 *
 * @example
 * console.log(formatExplain(loadConfig().explain()));
 */
export function formatExplain(entries: readonly ExplainEntry[]): string {
  const rows = entries.map(
    (e) => [e.path, e.value === undefined ? '(unset)' : JSON.stringify(e.value), e.source] as const,
  );
  const width = (i: 0 | 1) => Math.max(0, ...rows.map((r) => r[i].length));
  const [w0, w1] = [width(0), width(1)];
  return rows.map(([p, v, s]) => `${p.padEnd(w0)}  ${v.padEnd(w1)}  ${s}`).join('\n');
}
