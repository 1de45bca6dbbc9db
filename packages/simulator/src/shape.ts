/**
 * The structure of a JSON value: keys and value types, recursively, with array elements merged
 * into one shape. Used to prove that the simulator's bodies look like the real providers' (a test
 * walks a recorded fixture and a simulated body and compares), and handy for adapters' own
 * contract tests.
 */
export type Shape =
  | 'null'
  | 'string'
  | 'number'
  | 'boolean'
  | { array: Shape | null }
  | { object: Record<string, Shape> }
  | { map: Shape | null }
  | { anyOf: Shape[] };

// Objects keyed by data rather than by field name: Alpha Vantage's dates, Yahoo's event timestamps.
const DATA_KEY = /^(\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?)?|\d+)$/;

/** Combines two shapes into one that admits both (keys of objects are united). */
export function mergeShapes(a: Shape | null, b: Shape | null): Shape | null {
  if (a === null) return b;
  if (b === null) return a;
  if (JSON.stringify(a) === JSON.stringify(b)) return a;
  if (typeof a === 'object' && typeof b === 'object') {
    if ('object' in a && 'object' in b) {
      const keys: Record<string, Shape> = { ...a.object };
      for (const [k, v] of Object.entries(b.object))
        keys[k] = k in keys ? (mergeShapes(keys[k] as Shape, v) as Shape) : v;
      return { object: keys };
    }
    if ('array' in a && 'array' in b) return { array: mergeShapes(a.array, b.array) };
    if ('map' in a && 'map' in b) return { map: mergeShapes(a.map, b.map) };
  }
  const options = [...(typeof a === 'object' && 'anyOf' in a ? a.anyOf : [a])];
  for (const option of typeof b === 'object' && 'anyOf' in b ? b.anyOf : [b]) {
    const i = options.findIndex((o) => sameKind(o, option));
    if (i === -1) options.push(option);
    else options[i] = mergeShapes(options[i] as Shape, option) as Shape;
  }
  return options.length === 1 ? (options[0] as Shape) : { anyOf: options };
}

function kindOf(s: Shape): string {
  return typeof s === 'string' ? s : (Object.keys(s)[0] as string);
}

function sameKind(a: Shape, b: Shape): boolean {
  return kindOf(a) === kindOf(b);
}

/** The shape of a JSON value. */
export function shapeOf(value: unknown): Shape {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) {
    let element: Shape | null = null;
    for (const v of value) element = mergeShapes(element, shapeOf(v));
    return { array: element };
  }
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object': {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length > 0 && entries.every(([k]) => DATA_KEY.test(k))) {
        let v: Shape | null = null;
        for (const [, item] of entries) v = mergeShapes(v, shapeOf(item));
        return { map: v };
      }
      return { object: Object.fromEntries(entries.map(([k, v]) => [k, shapeOf(v)])) };
    }
    default:
      return 'string';
  }
}

/** Options of {@link compareShapes}. */
export interface CompareShapesOptions {
  /** Accept keys the actual value has and the expected lacks (for doc samples that trim fields). @default false */
  allowExtraKeys?: boolean;
}

/**
 * Differences between the shape of `actual` and that of `expected` (a recorded payload), as
 * readable lines; empty when they agree. A `null` in `expected` says nothing about the type and
 * matches anything; empty arrays and maps match any element shape; keys must be the same set.
 */
export function compareShapes(actual: unknown, expected: unknown, options: CompareShapesOptions = {}): string[] {
  const diffs: string[] = [];
  walk(shapeOf(actual), shapeOf(expected), '$', diffs, options);
  return diffs;
}

function walk(
  actual: Shape | null,
  expected: Shape | null,
  path: string,
  diffs: string[],
  options: CompareShapesOptions,
): void {
  if (actual === null || expected === null || expected === 'null') return;
  if (typeof expected === 'object' && 'anyOf' in expected) {
    const actuals = typeof actual === 'object' && 'anyOf' in actual ? actual.anyOf : [actual];
    for (const a of actuals) {
      const match = expected.anyOf.find((e) => sameKind(e, a) || e === 'null');
      if (match === undefined) diffs.push(`${path}: ${describe(a)} where the fixture has ${describe(expected)}`);
      else if (match !== 'null') walk(a, match, path, diffs, options);
    }
    return;
  }
  if (typeof actual === 'object' && 'anyOf' in actual) {
    for (const a of actual.anyOf) walk(a, expected, path, diffs, options);
    return;
  }
  if (!sameKind(actual, expected)) {
    diffs.push(`${path}: ${describe(actual)} where the fixture has ${describe(expected)}`);
    return;
  }
  if (typeof actual === 'string' || typeof expected === 'string') return;
  if ('array' in actual && 'array' in expected) {
    walk(actual.array, expected.array, `${path}[]`, diffs, options);
  } else if ('map' in actual && 'map' in expected) {
    walk(actual.map, expected.map, `${path}{*}`, diffs, options);
  } else if ('object' in actual && 'object' in expected) {
    for (const key of Object.keys(expected.object)) {
      if (!(key in actual.object)) diffs.push(`${path}.${key}: missing (the fixture has it)`);
      else walk(actual.object[key] as Shape, expected.object[key] as Shape, `${path}.${key}`, diffs, options);
    }
    if (options.allowExtraKeys !== true) {
      for (const key of Object.keys(actual.object)) {
        if (!(key in expected.object)) diffs.push(`${path}.${key}: extra (the fixture does not have it)`);
      }
    }
  }
}

function describe(s: Shape): string {
  if (typeof s === 'string') return s;
  if ('anyOf' in s) return s.anyOf.map(describe).join(' | ');
  return kindOf(s);
}
