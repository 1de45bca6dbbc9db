import type { ConfigIssue } from '../errors/index.js';
import { closestMatch } from './did-you-mean.js';
import { type ConfigSource, isPlainObject } from './layers.js';
import {
  BUILTIN_PROVIDERS,
  checkKeyFormat,
  defaultKeyFormats,
  describeSecret,
  keyLocationsHint,
  providerNeedsKey,
} from './provider-keys.js';
import { ProviderName } from './provider-schema.js';

/**
 * Checks that only make sense across fields, run on the merged (not yet validated) data so they
 * are reported together with schema problems: keys present and well-formed for enabled
 * providers, custom provider names that look like typos of built-ins, and at least one usable
 * provider.
 */
export function crossCheck(
  data: Record<string, unknown>,
  sourceOf: (path: string) => ConfigSource | undefined,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const push = (issue: ConfigIssue, sourcePath = issue.path) => {
    const source = sourceOf(sourcePath);
    issues.push(source === undefined ? issue : { ...issue, source });
  };
  const mode = data.mode;
  const providers = isPlainObject(data.providers) ? data.providers : {};
  let usable = 0;
  for (const [name, settings] of Object.entries(providers)) {
    if (!isPlainObject(settings)) continue;
    const builtin = (BUILTIN_PROVIDERS as readonly string[]).includes(name);
    if (!builtin) {
      const near = closestMatch(name, BUILTIN_PROVIDERS);
      if (near !== undefined) {
        push(
          {
            path: `providers.${name}`,
            message: `unknown provider "${name}"`,
            hint: `did you mean "${near}"? (a custom provider needs a name that is not a near-copy of a built-in one)`,
          },
          firstLeafPath(name, settings),
        );
        continue;
      }
      if (!ProviderName.safeParse(name).success) {
        push(
          {
            path: `providers.${name}`,
            message: 'is not a valid provider name',
            hint: 'use a lower-case name such as "mybroker"',
          },
          firstLeafPath(name, settings),
        );
        continue;
      }
    }
    if (settings.enabled !== true) continue;
    const key = settings.apiKey;
    const keyPath = `providers.${name}.apiKey`;
    let keyUsable = !providerNeedsKey(name);
    if (typeof key === 'string') {
      const problem = settings.checkKeyFormat === false ? undefined : checkKeyFormat(name, key, defaultKeyFormats);
      if (problem === undefined) keyUsable = true;
      else {
        const from = sourceOf(keyPath);
        push({
          path: keyPath,
          message: problem,
          found: describeSecret(key),
          hint: `check ${from?.startsWith('env ') ? from.slice(4) : keyPath} for a truncated copy, stray quotes or whitespace; or set providers.${name}.checkKeyFormat to false if the provider changed its format`,
        });
      }
    } else if (providerNeedsKey(name) && mode === 'live') {
      const enabledBy = sourceOf(`providers.${name}.enabled`);
      push({
        path: keyPath,
        message: `${name} is enabled${enabledBy === undefined || enabledBy === 'default' ? '' : ` (by ${enabledBy})`} in live mode but has no API key`,
        found: 'nothing',
        hint: `${keyLocationsHint(name)}; or disable it (STOCKADE_PROVIDERS_${name.toUpperCase()}_ENABLED=false), or use mode "simulator"`,
      });
    }
    if (mode === 'simulator' || keyUsable) usable++;
  }
  if (usable === 0 && (mode === 'live' || mode === 'simulator')) {
    push({
      path: 'providers',
      message: 'no provider is enabled and usable',
      hint: 'enable yahoo (it needs no key), give a valid key to alphavantage, polygon or massive, or use mode "simulator"',
    });
  }
  return issues;
}

/** A provider entry has no source of its own; its settings do. */
function firstLeafPath(name: string, settings: Record<string, unknown>): string {
  const first = Object.keys(settings)[0];
  return first === undefined ? `providers.${name}` : `providers.${name}.${first}`;
}
