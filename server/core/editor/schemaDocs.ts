/** Descriptions of schema keys, wherever zod keeps them (on the optional/default wrapper or the inner type). */
import type { z } from 'zod';
import { defOf, schemaAtPath, schemaDescription, unwrapSchema } from '../config/schemaIntrospection';
import type { PathSegment } from '../config/valueTree';

export function keyDescription(objectPath: readonly PathSegment[], key: string, data: unknown): string | undefined {
  const objectSchema = schemaAtPath(objectPath, data);
  const raw = objectSchema ? defOf(unwrapSchema(objectSchema)).shape?.[key] : undefined;
  return schemaDescription(raw) ?? schemaDescription(schemaAtPath([...objectPath, key], data));
}

export function keySchema(objectPath: readonly PathSegment[], key: string, data: unknown): z.ZodType | undefined {
  return schemaAtPath([...objectPath, key], data);
}
