// Writes docs/configuration.md from @stockade/core's zod config schema, so the page cannot drift
// from the code: every option, its type, default, environment variable and `.describe()` text.
//
//   node scripts/gen-config-docs.mjs           regenerate docs/configuration.md
//   node scripts/gen-config-docs.mjs --check   exit 1 when docs/configuration.md is stale
//
// The schema is loaded from packages/core/src through tsx, so the page follows the sources even
// before `npm run build`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { repoRoot } from './workspaces.mjs';

const OUT = join(repoRoot, 'docs', 'configuration.md');
const SCHEMA_FILES = 'packages/core/src/config/schema.ts and provider-schema.ts';
const core = await tsImport(pathToFileURL(join(repoRoot, 'packages/core/src/index.ts')).href, import.meta.url);
const {
  StockadeConfig,
  ProviderConfig,
  QuotaConfig,
  profilePresets,
  envNameOf,
  envAliases,
  defaultKeyEnvNames,
  defaultKeyFormats,
  providerNeedsKey,
  loadConfig,
  BUILTIN_PROVIDERS,
} = core;

const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch']);
const undescribed = [];

/** The description set with `.describe()` on the field or on anything it wraps. */
function descriptionOf(schema, path) {
  for (let s = schema; s !== undefined; s = WRAPPERS.has(s.def.type) ? s.def.innerType : undefined) {
    if (s.description) return s.description;
  }
  undescribed.push(path);
  return '';
}

function unwrap(schema) {
  let s = schema;
  while (WRAPPERS.has(s.def.type)) s = s.def.innerType;
  return s;
}

const isObject = (s) => unwrap(s).def.type === 'object';

function numberType(s) {
  const parts = [];
  for (const c of s.def.checks ?? []) {
    const d = c._zod.def;
    if (d.check === 'greater_than') parts.push(`${d.inclusive ? '≥' : '>'} ${d.value}`);
    if (d.check === 'less_than') parts.push(`${d.inclusive ? '≤' : '<'} ${d.value}`);
  }
  const kind = s.isInt ? 'integer' : 'number';
  if (parts.join() === '≥ 0,≤ 1') return `${kind}, 0 to 1`;
  return parts.length === 0 ? kind : `${kind} ${parts.join(', ')}`;
}

function urlType(s) {
  const m = /^\^(\w+)(s\?)?\$$/.exec(s.def.protocol?.source ?? '');
  if (m === null) return 'URL';
  return m[2] ? `\`${m[1]}://\` or \`${m[1]}s://\` URL` : `\`${m[1]}://\` URL`;
}

/** The type of a leaf, in words. */
function typeOf(schema) {
  const s = unwrap(schema);
  const def = s.def;
  switch (def.type) {
    case 'pipe':
      return (def.checks ?? []).length > 0 ? 'duration > 0' : 'duration';
    case 'number':
      return numberType(s);
    case 'boolean':
      return 'boolean';
    case 'enum':
      return `one of ${Object.values(def.entries)
        .map((v) => `\`${v}\``)
        .join(', ')}`;
    case 'string':
      if (def.format === 'url') return urlType(s);
      return (def.checks ?? []).some((c) => c._zod.def.check === 'min_length') ? 'non-empty string' : 'string';
    case 'record':
      return `map of name → ${typeOf(def.valueType)}`;
    case 'array':
      return isObject(def.element) ? 'array of quotas ([below](#quotas))' : `array of ${typeOf(def.element)}`;
    default:
      throw new Error(`gen-config-docs: no wording for a zod "${def.type}" (add it to typeOf)`);
  }
}

const isDuration = (schema) => unwrap(schema).def.type === 'pipe';

function humanMs(ms) {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1_000],
  ]) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

function showDefault(value, schema) {
  if (value === undefined) return 'unset';
  if (typeof value === 'number' && isDuration(schema)) return `\`${value}\` (${humanMs(value)})`;
  if (typeof value === 'number') return `\`${String(value).replace(/(\d)(?=(\d{3})+$)/g, '$1_')}\``;
  if (Array.isArray(value) && value.every((q) => q && typeof q.limit === 'number'))
    return value.length === 0 ? '`[]` (none)' : value.map((q) => `${q.limit} per ${humanMs(q.perMs)}`).join(', ');
  return `\`${JSON.stringify(value)}\``;
}

function valueAt(data, path) {
  return path.reduce((v, k) => (v === undefined || v === null ? undefined : v[k]), data);
}

function envOf(path, schema) {
  const s = unwrap(schema);
  const names = [];
  const dotted = path.join('.');
  if (s.def.type === 'record') names.push(`\`${envNameOf(dotted)}_<NAME>\``);
  else names.push(`\`${envNameOf(dotted)}\`${s.def.type === 'array' ? ' (JSON)' : ''}`);
  for (const [alias, target] of Object.entries(envAliases)) if (target === dotted) names.push(`\`${alias}\``);
  return names.join(', ');
}

const cell = (text) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const defaults = StockadeConfig.parse({});
const lines = [];
const out = (...l) => lines.push(...l);

/** One table of an object's leaves, then a section per nested object. */
function section(schema, path, level) {
  const fields = Object.entries(unwrap(schema).def.shape);
  const leaves = fields.filter(([, s]) => !isObject(s));
  if (leaves.length > 0) {
    out('| option | type | default | environment variable | description |', '| --- | --- | --- | --- | --- |');
    for (const [name, s] of leaves) {
      const p = [...path, name];
      out(
        `| \`${p.join('.')}\` | ${cell(typeOf(s))} | ${cell(showDefault(valueAt(defaults, p), s))} | ${cell(envOf(p, s))} | ${cell(descriptionOf(s, p.join('.')))} |`,
      );
    }
    out('');
  }
  for (const [name, s] of fields.filter(([, f]) => isObject(f))) {
    const p = [...path, name];
    if (p.join('.') === 'providers') {
      providersSection(s, level);
      continue;
    }
    out(`${'#'.repeat(level)} \`${p.join('.')}\``, '', descriptionOf(s, p.join('.')), '');
    section(s, p, level + 1);
  }
}

function providersSection(schema, level) {
  const h = '#'.repeat(level);
  const builtins = [...BUILTIN_PROVIDERS];
  out(`${h} \`providers\``, '', descriptionOf(schema, 'providers'), '');
  out(
    'Every provider, built-in or custom (`providers.<name>`, a lower-case name), takes the same settings; only the defaults differ (next table).',
    'A custom provider is an adapter passed to `createMarketDataManager({ providers: [...] })`; its settings here are optional.',
    '',
  );
  for (const name of builtins) descriptionOf(unwrap(schema).def.shape[name], `providers.${name}`);
  out('| option | type | default | environment variable | description |', '| --- | --- | --- | --- | --- |');
  for (const [field, s] of Object.entries(ProviderConfig.def.shape)) {
    const values = [...builtins.map((b) => defaults.providers[b][field]), ProviderConfig.parse({})[field]];
    const same = values.every((v) => JSON.stringify(v) === JSON.stringify(values[0]));
    const env = [`\`${envNameOf(`providers.NAME.${field}`).replace('_NAME_', '_<NAME>_')}\``];
    if (field === 'apiKey') env.push('the provider’s usual variable (next table)');
    out(
      `| \`providers.<name>.${field}\` | ${cell(typeOf(s))} | ${same ? cell(showDefault(values[0], s)) : 'per provider'} | ${env.join(', ')}${unwrap(s).def.type === 'array' ? ' (JSON)' : ''} | ${cell(descriptionOf(s, `providers.<name>.${field}`))} |`,
    );
  }
  out('', `${h}# Defaults per provider`, '');
  const columns = [...builtins, 'custom'];
  const customDefaults = ProviderConfig.parse({});
  const defaultOf = (provider, field) => (provider === 'custom' ? customDefaults : defaults.providers[provider])[field];
  out(`| setting | ${columns.map((c) => `\`${c}\``).join(' | ')} |`, `|${' --- |'.repeat(columns.length + 1)}`);
  for (const field of ['enabled', 'priority', 'timeoutMs', 'quotas', 'maxConnections', 'plan', 'delayed']) {
    const s = ProviderConfig.def.shape[field];
    const row = columns.map((c) =>
      field === 'enabled' && providerNeedsKey(c)
        ? 'with a key, or in simulator mode'
        : cell(showDefault(defaultOf(c, field), s)),
    );
    out(`| \`${field}\` | ${row.join(' | ')} |`);
  }
  const keyVars = columns.map((c) =>
    c === 'custom' || !providerNeedsKey(c)
      ? '—'
      : [...(defaultKeyEnvNames[c] ?? []), envNameOf(`providers.${c}.apiKey`)].map((n) => `\`${n}\``).join(', '),
  );
  out(`| key variables | ${keyVars.join(' | ')} |`);
  const formats = columns.map((c) =>
    c === 'custom' ? '—' : defaultKeyFormats[c] === undefined ? 'no key' : defaultKeyFormats[c].description,
  );
  out(`| key format | ${formats.join(' | ')} |`, '');
  out(
    'When several variables set the same key, `STOCKADE_PROVIDERS_<NAME>_API_KEY` wins over the provider’s usual name.',
    '',
  );
  out(`${h}# Quotas`, '', 'Each entry of `providers.<name>.quotas`:', '');
  out('| field | type | description |', '| --- | --- | --- |');
  for (const [field, s] of Object.entries(QuotaConfig.def.shape)) {
    out(`| \`${field}\` | ${cell(typeOf(s))} | ${cell(descriptionOf(s, `providers.<name>.quotas[].${field}`))} |`);
  }
  out('');
}

function profilesTable() {
  const names = Object.keys(profilePresets);
  out(`| setting | ${names.map((n) => `\`${n}\``).join(' | ')} |`, `|${' --- |'.repeat(names.length + 1)}`);
  for (const field of Object.keys(profilePresets.development.health)) {
    out(`| \`health.${field}\` | ${names.map((n) => `\`${profilePresets[n].health[field]}\``).join(' | ')} |`);
  }
  out(`| \`logging.level\` | ${names.map((n) => `\`${profilePresets[n].logging.level}\``).join(' | ')} |`);
  out(
    `| \`mode\` | ${names.map((n) => (profilePresets[n].mode ? `\`${profilePresets[n].mode}\`` : 'from the keys')).join(' | ')} |`,
  );
  out('');
}

const example = {
  profile: 'production',
  providers: {
    yahoo: { priority: 5 },
    alphavantage: { enabled: false },
    polygon: { plan: 'starter', quotas: [], delayed: false },
  },
  cache: { redisUrl: 'redis://127.0.0.1:6379', ttl: { quoteRegularMs: '5s' } },
  resilience: { attemptTimeoutMs: '2s', retry: { maxAttempts: 2 } },
  logging: { levels: { cache: 'debug' } },
};
// The example must stay valid, with the key it says comes from the environment.
loadConfig({ file: false, env: { POLYGON_API_KEY: 'x'.repeat(32) }, overrides: example });

out(
  '<!-- Generated by scripts/gen-config-docs.mjs from packages/core/src/config (the zod schema). Do not edit by hand: change the schema and run `node scripts/gen-config-docs.mjs`. -->',
  '',
  '# Configuration',
  '',
  'Every setting of the SDK, read from the zod schema `StockadeConfig` in `@stockade/core`. Every setting has a default:',
  'with no configuration at all, Stockade runs on the bundled simulator.',
  '',
  '## Where settings come from',
  '',
  '`loadConfig()` (which `createMarketDataManager()` and the `stockade` command call) merges these layers, highest first:',
  '',
  '1. **overrides** — `createMarketDataManager({ config: { … } })`, `loadConfig({ overrides, profile })`, CLI flags;',
  '2. **environment variables** — `STOCKADE_*` and the providers’ usual key variables;',
  '3. **one config file** — `stockade.config.json` in the working directory, or the `file` option (`--config` on the CLI).',
  '   Stockade never searches for other files; a `file` that is given but missing is an error, `file: false` reads none.',
  '   It is plain JSON (no comments); a `"$schema"` key is ignored;',
  '4. **the profile’s defaults** ([below](#profiles));',
  '5. **defaults** (the tables below).',
  '',
  'Objects merge key by key; arrays (such as `quotas`) replace what is below them whole. Every problem — an unknown key,',
  'a wrong type, a malformed API key, an unknown `STOCKADE_*` variable, no usable provider — is reported at once in one',
  '`ConfigError`, each with its path, the value found (keys never shown), its source and a hint.',
  '',
  '`stockade config explain [prefix]` (or `formatExplain(loadConfig().explain())`) prints every value in effect and where it',
  'came from: `override`, `env NAME`, `file PATH`, `profile NAME` or `default`. `watchConfig(loaded, { onChange })` reloads',
  'the file when it changes and keeps the previous configuration when the new one is invalid; a manager keeps the',
  'configuration it was created with.',
  '',
  '## Environment variables',
  '',
  '- Any setting: `STOCKADE_` and its path in UPPER_SNAKE — `cache.l1MaxBytes` → `STOCKADE_CACHE_L1_MAX_BYTES`,',
  '  `providers.polygon.enabled` → `STOCKADE_PROVIDERS_POLYGON_ENABLED`. `__` may separate segments (`STOCKADE_CACHE__L1_MAX_BYTES`).',
  '- Map entries take the key as the last part: `STOCKADE_LOGGING_LEVELS_CACHE=debug`. Arrays take JSON:',
  '  `STOCKADE_PROVIDERS_ALPHAVANTAGE_QUOTAS=\'[{"name":"minute","limit":75,"perMs":"1m"}]\'`.',
  '- Booleans: `true`/`1`/`yes`/`on` and `false`/`0`/`no`/`off`. An empty variable counts as unset.',
  `- Short aliases: ${Object.entries(envAliases)
    .map(([a, p]) => `\`${a}\` (\`${p}\`)`)
    .join(', ')}. The systematic name wins when both are set.`,
  `- API keys also come from the providers’ usual variables: ${Object.values(defaultKeyEnvNames)
    .flat()
    .map((n) => `\`${n}\``)
    .join(', ')}.`,
  '- A `STOCKADE_*` variable that matches no setting is an error that suggests the closest name.',
  '',
  '## Durations',
  '',
  'Settings of type *duration* (their names end in `Ms`) take milliseconds (`5000`, `"5000"`) or a number and a unit:',
  "`'250ms'`, `'5s'`, `'2m'`, `'1h'`, `'1d'` (decimals such as `'1.5s'` allowed). They are stored as milliseconds.",
  '',
  '## Mode: simulator or live',
  '',
  '`mode` defaults to `live` when any provider key is configured, and always in the `production` profile; otherwise to',
  '`simulator`, where the manager starts the bundled simulator on a loopback port and points every built-in provider',
  'without a `baseUrl` at it. A provider that needs a key (Alpha Vantage, Polygon, Massive) is enabled by default in',
  'simulator mode or when it has a key; in live mode an enabled one without a key is a `ConfigError`. Yahoo needs no key.',
  '',
  '## Profiles',
  '',
  '`profile` (`STOCKADE_PROFILE`) picks the defaults of the health thresholds and the log level; anything you set wins.',
  '',
);
profilesTable();
out('## Options', '', '### Top level', '');
section(StockadeConfig, [], 3);
out(
  '## Example',
  '',
  '`stockade.config.json` (keys stay in the environment: `POLYGON_API_KEY=… npx stockade quote AAPL`):',
  '',
  '```json',
  JSON.stringify(example, null, 2),
  '```',
  '',
);

if (undescribed.length > 0) {
  console.error(
    `gen-config-docs: these settings have no description; add .describe('…') in ${SCHEMA_FILES}:\n  ${undescribed.join('\n  ')}`,
  );
  process.exit(1);
}

const text = `${lines.join('\n').trimEnd()}\n`;
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(OUT, 'utf8');
  } catch {}
  if (current !== text) {
    const a = current.split('\n');
    const b = text.split('\n');
    const at = b.findIndex((line, i) => line !== a[i]);
    console.error(
      `docs/configuration.md is out of date with the config schema (${SCHEMA_FILES}).\n` +
        `First difference at line ${at + 1}:\n  in the file: ${a[at] ?? '(end of file)'}\n  generated:   ${b[at] ?? '(end of file)'}\n` +
        'Run `node scripts/gen-config-docs.mjs` and commit docs/configuration.md.',
    );
    process.exit(1);
  }
  console.log('docs/configuration.md is up to date');
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${relative(repoRoot, OUT)} (${lines.length} lines)`);
}
