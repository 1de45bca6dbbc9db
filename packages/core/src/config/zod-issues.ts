import type { z } from 'zod';
import type { ConfigIssue } from '../errors/index.js';
import { redact } from '../keys/redact.js';
import { unknownNameHint } from './did-you-mean.js';
import { DURATION_HINT } from './duration.js';
import { type ConfigSource, valueAt } from './layers.js';
import { describeSecret } from './provider-keys.js';
import { describeSchema, fieldNamesAt, schemaAt } from './schema-walk.js';

/** Whether a config path holds a secret, whose value is only ever described by its length. */
export function isSecretPath(path: string): boolean {
  return /(^|\.)(api[_-]?key|apikey|secret|password|token)$/i.test(path);
}

/** Masks the user and password of a URL-looking string (`redis://:pw@host` → `redis://****@host`). */
export function maskUrlCredentials(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1****@');
}

/** A secret-free description of a value found in the configuration, for `ConfigIssue.found`. */
export function describeFound(value: unknown, path: string): string {
  if (isSecretPath(path)) return describeSecret(value);
  if (typeof value === 'string') {
    const shown = redact(maskUrlCredentials(value));
    return `the string ${JSON.stringify(shown.length > 40 ? `${shown.slice(0, 40)}…` : shown)}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return `an ${typeof value}`;
}

function hintFor(root: z.ZodType, path: readonly (string | number)[], code: string): string | undefined {
  const schema = schemaAt(root, path);
  if (schema === undefined) return undefined;
  const node = describeSchema(schema);
  if (node.kind !== 'leaf') return code === 'invalid_type' ? 'expected an object of settings' : undefined;
  switch (node.leaf) {
    case 'duration':
      return DURATION_HINT;
    case 'enum':
      return `use one of: ${node.options.join(', ')}`;
    case 'boolean':
      return 'use true or false (in an environment variable: true/false, 1/0, yes/no)';
    default:
      return undefined;
  }
}

/**
 * Turns zod's issues into config issues, each with the value's path, a secret-free description
 * of what was found, the layer it came from and a hint; unknown keys get a "did you mean".
 */
export function mapZodIssues(
  root: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  data: unknown,
  sourceOf: (path: string) => ConfigSource | undefined,
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const valid = fieldNamesAt(root, path);
      for (const key of issue.keys) {
        const full = [...path, key].join('.');
        out.push(
          withSource(
            { path: full, message: `unknown key "${key}"`, hint: unknownNameHint(key, valid) },
            sourceOf(full),
          ),
        );
      }
      continue;
    }
    const dotted = path.join('.');
    const message =
      issue.code === 'invalid_union' && describeLeaf(root, path) === 'duration' ? 'is not a duration' : issue.message;
    const found = describeFound(valueAt(data, path), dotted);
    const hint = hintFor(root, path, issue.code);
    out.push(withSource({ path: dotted, message, found, ...(hint === undefined ? {} : { hint }) }, sourceOf(dotted)));
  }
  return out;
}

function describeLeaf(root: z.ZodType, path: readonly (string | number)[]): string | undefined {
  const schema = schemaAt(root, path);
  if (schema === undefined) return undefined;
  const node = describeSchema(schema);
  return node.kind === 'leaf' ? node.leaf : node.kind;
}

function withSource(issue: ConfigIssue, source: ConfigSource | undefined): ConfigIssue {
  return source === undefined ? issue : { ...issue, source };
}
