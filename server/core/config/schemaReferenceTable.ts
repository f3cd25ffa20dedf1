/**
 * The key table of docs/config-reference.md, generated from the zod schema (a test keeps the doc equal to
 * this output), so the reference can never drift from what the checker and the runtimes accept.
 */
import type { z } from 'zod';
import { loopSchema } from '../../../sdk/schema';
import { defOf, enumValues, unwrapSchema } from './schemaIntrospection';

const OPTIONAL = new Set(['optional', 'default', 'prefault']);

function typeLabel(schema: z.ZodType): string {
  const inner = unwrapSchema(schema);
  const values = enumValues(inner);
  if (values.length) return values.map((v) => `'${v}'`).join(' \\| ');
  const type = defOf(inner).type;
  return type === 'union' ? 'object' : type === 'record' ? 'object (string values)' : type;
}

function rows(schema: z.ZodType, prefix: string, out: string[]): void {
  let inner = unwrapSchema(schema);
  if (defOf(inner).type === 'array') inner = unwrapSchema(defOf(inner).element as z.ZodType);
  const def = defOf(inner);
  if (def.type === 'union') return (def.options ?? []).forEach((option) => rows(option, prefix, out));
  for (const [key, field] of Object.entries(def.shape ?? {})) {
    const fieldDef = defOf(field);
    const isArray = defOf(unwrapSchema(field)).type === 'array';
    const path = `${prefix}${key}${isArray ? '[]' : ''}`;
    const fallback = fieldDef.type === 'default' ? `\`${JSON.stringify(fieldDef.defaultValue)}\`` : '';
    const description = (field as { description?: string }).description ?? (unwrapSchema(field) as { description?: string }).description ?? '';
    out.push(`| \`${path}\` | ${isArray ? 'array' : typeLabel(field)} | ${OPTIONAL.has(fieldDef.type) ? 'no' : 'yes'} | ${fallback} | ${description} |`);
    rows(field, `${path}.`, out);
  }
}

export function schemaReferenceTable(): string {
  const out = ['| Key | Type | Required | Default | Meaning |', '| --- | --- | --- | --- | --- |'];
  rows(loopSchema, '', out);
  return out.join('\n');
}
