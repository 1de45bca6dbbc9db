/**
 * Where a config value came from: `'override'`, `'env NAME'`, `'file PATH'`, `'profile NAME'`
 * or `'default'`.
 */
export type ConfigSource = 'override' | 'default' | `env ${string}` | `file ${string}` | `profile ${string}`;

/** One layer of configuration: plain data, and the source of each leaf it sets. */
export interface ConfigLayer {
  /** Nested plain data; arrays and scalars are leaves. */
  data: Record<string, unknown>;
  /** Source of a leaf of this layer, by its dotted path. */
  sourceOf(path: string): ConfigSource;
}

/** Whether `value` is a plain object (merged key by key) rather than a leaf. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Reads the value at a dotted path of nested data. */
export function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[String(segment)];
  }
  return current;
}

/** Sets the value at a path of nested data, creating plain objects on the way. */
export function setValueAt(data: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = data;
  for (const segment of path.slice(0, -1)) {
    const next = current[segment];
    if (!isPlainObject(next)) current[segment] = {};
    current = current[segment] as Record<string, unknown>;
  }
  current[path[path.length - 1] as string] = value;
}

/** The result of {@link mergeLayers}: the merged data and the winning source of every leaf. */
export interface MergedLayers {
  /** Nested plain data, highest layer winning per leaf. */
  data: Record<string, unknown>;
  /** Source of each leaf set by some layer, by dotted path. */
  sources: Map<string, ConfigSource>;
}

/**
 * Merges layers, lowest precedence first: plain objects merge key by key; arrays and scalars
 * replace whatever was below them whole, so a file's `quotas` replaces the default list.
 */
export function mergeLayers(layers: readonly ConfigLayer[]): MergedLayers {
  const data: Record<string, unknown> = {};
  const sources = new Map<string, ConfigSource>();
  const forget = (key: string) => {
    sources.delete(key);
    for (const k of [...sources.keys()]) if (k.startsWith(`${key}.`)) sources.delete(k);
  };
  const apply = (
    target: Record<string, unknown>,
    source: Record<string, unknown>,
    path: string[],
    layer: ConfigLayer,
  ) => {
    for (const [k, v] of Object.entries(source)) {
      if (v === undefined) continue;
      const p = [...path, k];
      const key = p.join('.');
      if (isPlainObject(v)) {
        if (!isPlainObject(target[k])) {
          forget(key);
          target[k] = {};
        }
        apply(target[k] as Record<string, unknown>, v, p, layer);
      } else {
        forget(key);
        target[k] = structuredClone(v);
        sources.set(key, layer.sourceOf(key));
      }
    }
  };
  for (const layer of layers) apply(data, layer.data, [], layer);
  return { data, sources };
}

/** The source of a leaf, or of the array or record value containing it. */
export function lookupSource(sources: ReadonlyMap<string, ConfigSource>, path: string): ConfigSource | undefined {
  for (let p = path; p !== ''; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const found = sources.get(p);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** A layer whose every leaf has the same source. */
export function uniformLayer(data: Record<string, unknown>, source: ConfigSource): ConfigLayer {
  return { data, sourceOf: () => source };
}
