/**
 * Reads the zod schema's structure (zod 4 keeps it in `_zod.def`) so diagnostics, completions and docs
 * can ask "which keys are allowed here?", "which values?", "what does this key mean?" from the one schema.
 */
import type { z } from 'zod';
import { loopSchema } from '../../../sdk/schema';
import type { PathSegment } from './valueTree';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  valueType?: z.ZodType;
  entries?: Record<string, string>;
  values?: unknown[];
  defaultValue?: unknown;
}

export function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'nonoptional']);

export function unwrapSchema(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let def = defOf(current); WRAPPERS.has(def.type) && def.innerType; def = defOf(current)) current = def.innerType;
  return current;
}

/** The union option whose discriminator matches the data (first option when none does). */
function pickOption(def: Def, data: unknown): z.ZodType | undefined {
  const options = def.options ?? [];
  const key = def.discriminator;
  if (key && data && typeof data === 'object') {
    const wanted = (data as Record<string, unknown>)[key];
    const match = options.find((option) => literalValues(defOf(unwrapSchema(option)).shape?.[key]).includes(wanted));
    if (match) return match;
  }
  return options[0];
}

function literalValues(schema: z.ZodType | undefined): unknown[] {
  if (!schema) return [];
  const def = defOf(unwrapSchema(schema));
  return def.values ?? Object.values(def.entries ?? {});
}

/** The schema that applies at `path` in `data` (unwrapped), or undefined when the path leaves the schema. */
export function schemaAtPath(path: readonly PathSegment[], data: unknown, root: z.ZodType = loopSchema): z.ZodType | undefined {
  let schema: z.ZodType | undefined = unwrapSchema(root);
  let value: unknown = data;
  for (const segment of path) {
    if (!schema) return undefined;
    schema = resolveUnion(schema, value);
    const def = defOf(schema);
    if (def.type === 'object') schema = def.shape?.[String(segment)];
    else if (def.type === 'array') schema = def.element;
    else if (def.type === 'record') schema = def.valueType;
    else return undefined;
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[segment as string] : undefined;
    if (schema) schema = unwrapSchema(schema);
  }
  return schema ? resolveUnion(schema, value) : undefined;
}

function resolveUnion(schema: z.ZodType, value: unknown): z.ZodType {
  const def = defOf(schema);
  if (def.type !== 'union') return schema;
  const option = pickOption(def, value);
  return option ? unwrapSchema(option) : schema;
}

export function objectKeys(schema: z.ZodType | undefined): string[] {
  if (!schema) return [];
  return Object.keys(defOf(unwrapSchema(schema)).shape ?? {});
}

/** Allowed values of an enum or literal (strings only). */
export function enumValues(schema: z.ZodType | undefined): string[] {
  return literalValues(schema).filter((v): v is string => typeof v === 'string');
}

export function isRequiredKey(objectSchema: z.ZodType | undefined, key: string): boolean {
  const field = objectSchema ? defOf(unwrapSchema(objectSchema)).shape?.[key] : undefined;
  return field !== undefined && !WRAPPERS.has(defOf(field).type);
}

/** A value to insert for a missing key: the schema's first allowed value, or an empty one of its type. */
export function placeholderText(schema: z.ZodType | undefined): string {
  if (!schema) return "''";
  const inner = unwrapSchema(schema);
  const def = defOf(inner);
  if (def.type === 'union') {
    const option = def.options?.[0];
    const tag = def.discriminator && option ? enumValues(defOf(unwrapSchema(option)).shape?.[def.discriminator])[0] : undefined;
    return tag ? `{ ${def.discriminator}: '${tag}' }` : '{}';
  }
  const values = enumValues(inner);
  if (values[0] !== undefined) return `'${values[0]}'`;
  switch (def.type) {
    case 'number':
      return '0';
    case 'boolean':
      return 'false';
    case 'array':
      return '[]';
    case 'object':
    case 'record':
      return '{}';
    default:
      return "''";
  }
}

export function schemaDescription(schema: z.ZodType | undefined): string | undefined {
  return (schema as { description?: string } | undefined)?.description;
}
