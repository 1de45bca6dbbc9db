import type { z } from 'zod';

/** How an environment-variable string is turned into a value for a leaf. */
export type LeafKind = 'boolean' | 'number' | 'string' | 'duration' | 'enum' | 'json';

/** The shape of one node of a zod schema, as far as config loading cares. */
export type SchemaNode =
  | { kind: 'object'; fields: Readonly<Record<string, z.ZodType>>; catchall: z.ZodType | undefined }
  | { kind: 'record'; value: z.ZodType }
  | { kind: 'leaf'; leaf: LeafKind; options: readonly string[] };

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  valueType?: z.ZodType;
  in?: z.ZodType;
  entries?: Record<string, string>;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { def: Def }).def;

const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'readonly', 'catch']);

/** Strips defaults and optionality off a schema. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let def = defOf(s); WRAPPERS.has(def.type) && def.innerType !== undefined; def = defOf(s)) s = def.innerType;
  return s;
}

/** Describes a schema node: an object's fields, a record's value schema or a leaf's kind. */
export function describeSchema(schema: z.ZodType): SchemaNode {
  const s = unwrap(schema);
  const def = defOf(s);
  switch (def.type) {
    case 'object': {
      const catchall = def.catchall !== undefined && defOf(def.catchall).type !== 'never' ? def.catchall : undefined;
      return { kind: 'object', fields: def.shape ?? {}, catchall };
    }
    case 'record':
      return { kind: 'record', value: def.valueType as z.ZodType };
    case 'pipe': {
      const input = def.in === undefined ? undefined : defOf(unwrap(def.in));
      if (input?.type === 'union') return { kind: 'leaf', leaf: 'duration', options: [] };
      return def.in === undefined ? { kind: 'leaf', leaf: 'string', options: [] } : describeSchema(def.in);
    }
    case 'boolean':
      return { kind: 'leaf', leaf: 'boolean', options: [] };
    case 'number':
      return { kind: 'leaf', leaf: 'number', options: [] };
    case 'enum':
      return { kind: 'leaf', leaf: 'enum', options: Object.values(def.entries ?? {}) };
    case 'string':
      return { kind: 'leaf', leaf: 'string', options: [] };
    default:
      return { kind: 'leaf', leaf: 'json', options: [] };
  }
}

/** The schema at `path` (record and catchall keys match anything), or undefined when no such path exists. */
export function schemaAt(root: z.ZodType, path: readonly (string | number)[]): z.ZodType | undefined {
  let current: z.ZodType = root;
  for (const segment of path) {
    const node = describeSchema(current);
    if (node.kind === 'object') {
      const field = node.fields[String(segment)] ?? node.catchall;
      if (field === undefined) return undefined;
      current = field;
    } else if (node.kind === 'record') {
      current = node.value;
    } else if (node.leaf === 'json' && typeof segment === 'number') {
      const element = (defOf(unwrap(current)) as { element?: z.ZodType }).element;
      if (element === undefined) return undefined;
      current = element;
    } else {
      return undefined;
    }
  }
  return current;
}

/** The field names an object node at `path` accepts (for "did you mean" hints). */
export function fieldNamesAt(root: z.ZodType, path: readonly (string | number)[]): string[] {
  const schema = schemaAt(root, path);
  if (schema === undefined) return [];
  const node = describeSchema(schema);
  return node.kind === 'object' ? Object.keys(node.fields) : [];
}
