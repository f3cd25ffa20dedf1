import type { DjangoField } from './projectModel';

/** A field stored in a column of its model's table (many-to-many fields are not: they live in a through table). */
export type ColumnField = DjangoField & { column: string };

export function isColumn<F extends DjangoField>(field: F): field is F & { column: string } {
  return field.column !== null;
}
