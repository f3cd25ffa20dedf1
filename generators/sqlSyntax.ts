/** Escaping for SQL that Skene writes (config queries, migrations): identifiers are quoted when they must be. */

// PostgreSQL reserved words a Django table or column could plausibly be named after.
const RESERVED = new Set(
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric table then to trailing true union unique user using variadic when where window with'.split(' '),
);

/** Always quoted: for SQL nobody reads line by line (triggers). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Bare when PostgreSQL reads it back unchanged, quoted otherwise: for SQL a person reads (the loop query). */
export function sqlIdent(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) ? name : quoteIdent(name);
}
