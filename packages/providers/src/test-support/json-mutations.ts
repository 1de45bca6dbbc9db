import fc from 'fast-check';

/**
 * Arbitraries for fuzzing the adapters' response parsing with what a provider really sends gone
 * wrong: a recorded payload with fields dropped, types swapped, numbers out of range, `"NaN"`
 * strings and nested nulls, the text truncated or its bytes flipped; plus arbitrary JSON and bytes.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A body a fuzz case serves: its bytes and how they were made. */
export interface FuzzBody {
  /** What made it, for the outcome tally (`mutated`, `json`, `bytes`, `text`). */
  origin: 'mutated' | 'json' | 'bytes' | 'text';
  /** The bytes sent. */
  body: Buffer;
}

// Numbers JSON cannot carry are written as these markers and spliced into the text as raw tokens:
// `1e999` parses to Infinity, `-0` to minus zero, 2^53 + 1 loses its last digit.
const RAW_TOKENS: Record<string, string> = {
  __INF__: '1e999',
  __NEG_INF__: '-1e999',
  __NEG_ZERO__: '-0',
  __UNSAFE_INT__: '9007199254740993',
};

const oddNumbers: Json[] = [
  0,
  -1,
  -0.0001,
  1e21,
  1e308,
  -1e308,
  '__UNSAFE_INT__',
  5e-324,
  2 ** 53,
  4102444800000,
  '__INF__',
  '__NEG_INF__',
  '__NEG_ZERO__',
];
const oddStrings: Json[] = [
  'NaN',
  'Infinity',
  '-Infinity',
  '',
  ' ',
  '1e999',
  '0x1F',
  ' 12.5 ',
  '--',
  '12,5',
  '١٢٣',
  '\u0000',
  'null',
  'undefined',
  'true',
  '2020-13-45',
  '9999-99-99 99:99:99',
];

type Mutation =
  | { op: 'drop' }
  | { op: 'null' }
  | { op: 'swap' }
  | { op: 'odd'; value: Json }
  | { op: 'replace'; value: Json }
  | { op: 'nestedNulls'; depth: number }
  | { op: 'negate' }
  | { op: 'empty' }
  | { op: 'duplicate' };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Mutation>({ op: 'drop' }) },
  { weight: 2, arbitrary: fc.constant<Mutation>({ op: 'null' }) },
  { weight: 3, arbitrary: fc.constant<Mutation>({ op: 'swap' }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(...oddNumbers, ...oddStrings).map((value): Mutation => ({ op: 'odd', value })),
  },
  {
    weight: 1,
    arbitrary: fc.jsonValue({ maxDepth: 2 }).map((value): Mutation => ({ op: 'replace', value: value as Json })),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map((depth): Mutation => ({ op: 'nestedNulls', depth })) },
  { weight: 1, arbitrary: fc.constant<Mutation>({ op: 'negate' }) },
  { weight: 1, arbitrary: fc.constant<Mutation>({ op: 'empty' }) },
  { weight: 1, arbitrary: fc.constant<Mutation>({ op: 'duplicate' }) },
);

type Slot = { parent: Json[] | { [key: string]: Json }; key: string | number; value: Json };

// Every (parent, key) pair of the tree, parents before children, in a stable order.
function slots(root: Json): Slot[] {
  const out: Slot[] = [];
  const walk = (node: Json) => {
    if (Array.isArray(node)) {
      node.forEach((value, key) => {
        out.push({ parent: node, key, value });
        walk(value);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        out.push({ parent: node, key, value });
        walk(value);
      }
    }
  };
  walk(root);
  return out;
}

function swapped(value: Json): Json {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return /^-?\d/.test(value) ? Number.parseFloat(value) : value.length;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return Object.fromEntries(value.map((v, i) => [String(i), v]));
  if (value !== null) return Object.values(value);
  return 0;
}

function nestedNulls(depth: number): Json {
  let v: Json = null;
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { value: v } : [v, null];
  return v;
}

function set(slot: Slot, value: Json): void {
  (slot.parent as Record<string | number, Json>)[slot.key] = value;
}

function apply(root: Json, at: number, m: Mutation): Json {
  const all = slots(root);
  if (all.length === 0) return m.op === 'replace' ? m.value : root;
  const slot = all[at % all.length] as Slot;
  switch (m.op) {
    case 'drop':
      if (Array.isArray(slot.parent)) slot.parent.splice(slot.key as number, 1);
      else delete slot.parent[slot.key as string];
      break;
    case 'null':
      set(slot, null);
      break;
    case 'swap':
      set(slot, swapped(slot.value));
      break;
    case 'odd':
    case 'replace':
      set(slot, m.value);
      break;
    case 'nestedNulls':
      set(slot, nestedNulls(m.depth));
      break;
    case 'negate':
      set(
        slot,
        typeof slot.value === 'number' ? -slot.value : typeof slot.value === 'string' ? `-${slot.value}` : slot.value,
      );
      break;
    case 'empty':
      set(slot, Array.isArray(slot.value) ? [] : typeof slot.value === 'string' ? '' : {});
      break;
    case 'duplicate':
      if (Array.isArray(slot.parent)) slot.parent.push(structuredClone(slot.value));
      else set(slot, [slot.value, slot.value]);
      break;
  }
  return root;
}

/** Serializes a JSON tree, turning the raw-token markers into the numbers JSON cannot carry. */
export function serialize(value: unknown): string {
  let text = JSON.stringify(value) ?? 'null';
  for (const [marker, raw] of Object.entries(RAW_TOKENS)) text = text.replaceAll(`"${marker}"`, raw);
  return text;
}

/** A recorded payload with one to three mutations applied. */
export function mutatedPayload(payloads: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.nat({ max: payloads.length - 1 }),
      fc.array(fc.tuple(fc.nat(), mutationArb), { minLength: 1, maxLength: 3 }),
    )
    .map(([which, mutations]) => {
      let root = JSON.parse(payloads[which] as string) as Json;
      for (const [at, m] of mutations) root = apply(root, at, m);
      return serialize(root);
    });
}

/** A recorded payload's text cut short or with bytes overwritten. */
export function damagedText(payloads: readonly string[]): fc.Arbitrary<Buffer> {
  return fc
    .tuple(
      fc.nat({ max: payloads.length - 1 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
    )
    .map(([which, cut, flips]) => {
      const full = Buffer.from(payloads[which] as string);
      const body = Buffer.from(full.subarray(0, Math.floor(full.length * cut)));
      for (const [at, byte] of flips) if (body.length > 0) body[at % body.length] = byte;
      return body;
    });
}

/**
 * Bodies for a parser fuzz: mutated recorded payloads (most cases), arbitrary JSON, arbitrary bytes
 * and damaged recorded text.
 */
export function fuzzBodies(payloads: readonly string[]): fc.Arbitrary<FuzzBody> {
  return fc.oneof(
    {
      weight: 6,
      arbitrary: mutatedPayload(payloads).map((t): FuzzBody => ({ origin: 'mutated', body: Buffer.from(t) })),
    },
    { weight: 2, arbitrary: fc.json({ maxDepth: 4 }).map((t): FuzzBody => ({ origin: 'json', body: Buffer.from(t) })) },
    {
      weight: 1,
      arbitrary: fc
        .anything({ maxDepth: 3 })
        .map((v): FuzzBody => ({ origin: 'json', body: Buffer.from(safeStringify(v)) })),
    },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 512 }).map((b): FuzzBody => ({ origin: 'bytes', body: Buffer.from(b) })),
    },
    { weight: 1, arbitrary: damagedText(payloads).map((body): FuzzBody => ({ origin: 'text', body })) },
  );
}

// fc.anything() yields values JSON.stringify rejects (bigint) or drops (undefined, symbols).
function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x)) ?? 'null';
  } catch {
    return String(v);
  }
}

/** The paths of `value` (own, enumerable, deep) whose value is `undefined`. */
export function undefinedFields(value: unknown, path = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const p = path === '' ? k : `${path}.${k}`;
    if (v === undefined) out.push(p);
    else out.push(...undefinedFields(v, p));
  }
  return out;
}
