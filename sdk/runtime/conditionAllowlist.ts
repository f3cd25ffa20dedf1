/**
 * What a loop's condition may call. A condition runs every day against production with the application's
 * database role, so it may use only built-ins that read: PostgreSQL's READ ONLY transaction stops plain
 * writes, but not a file read (pg_read_file), a second connection (dblink_exec), a large object, a sequence
 * (nextval) or a setting that outlives the transaction (set_config). An allowlist rather than a denylist:
 * a function we do not know (including any the project defined) is refused by name.
 */

/** Immutable or stable built-ins without side effects, by name (pg_catalog, lower-case). */
export const ALLOWED_FUNCTIONS: ReadonlySet<string> = new Set([
  // time
  'now', 'clock_timestamp', 'statement_timestamp', 'transaction_timestamp', 'current_date', 'localtimestamp',
  'date_trunc', 'date_part', 'extract', 'date_bin', 'age', 'timezone', 'overlaps', 'isfinite',
  'make_date', 'make_time', 'make_timestamp', 'make_timestamptz', 'make_interval',
  'justify_days', 'justify_hours', 'justify_interval', 'to_timestamp', 'to_date', 'to_char', 'to_number',
  // null handling and comparison (COALESCE, NULLIF, GREATEST, LEAST are expressions, not calls)
  'num_nulls', 'num_nonnulls',
  // text
  'lower', 'upper', 'initcap', 'length', 'char_length', 'character_length', 'octet_length', 'bit_length',
  'btrim', 'ltrim', 'rtrim', 'trim', 'substr', 'substring', 'left', 'right', 'position', 'strpos',
  'replace', 'split_part', 'concat', 'concat_ws', 'lpad', 'rpad', 'reverse', 'repeat', 'translate', 'overlay',
  'starts_with', 'md5', 'format', 'quote_ident', 'quote_literal', 'quote_nullable',
  'regexp_replace', 'regexp_match', 'regexp_matches', 'regexp_like', 'regexp_count', 'regexp_substr',
  'regexp_split_to_array', 'regexp_split_to_table', 'similar_to_escape', 'like_escape', 'normalize',
  'is_normalized', 'string_to_array', 'array_to_string',
  // numbers
  'abs', 'ceil', 'ceiling', 'floor', 'round', 'trunc', 'mod', 'power', 'pow', 'sqrt', 'sign', 'div', 'ln',
  'log', 'exp', 'width_bucket', 'random',
  // json
  'to_json', 'to_jsonb', 'json_build_object', 'jsonb_build_object', 'json_build_array', 'jsonb_build_array',
  'json_extract_path', 'json_extract_path_text', 'jsonb_extract_path', 'jsonb_extract_path_text',
  'json_array_length', 'jsonb_array_length', 'json_typeof', 'jsonb_typeof', 'jsonb_exists',
  'json_array_elements', 'jsonb_array_elements', 'json_array_elements_text', 'jsonb_array_elements_text',
  'json_object_keys', 'jsonb_object_keys', 'jsonb_path_exists', 'jsonb_path_query_first', 'jsonb_strip_nulls',
  // arrays and sets
  'array_length', 'array_lower', 'array_upper', 'cardinality', 'array_position', 'array_positions',
  'array_append', 'array_prepend', 'array_cat', 'array_remove', 'unnest', 'generate_series',
  // aggregates
  'count', 'sum', 'avg', 'min', 'max', 'bool_and', 'bool_or', 'every', 'array_agg', 'string_agg',
  'json_agg', 'jsonb_agg', 'json_object_agg', 'jsonb_object_agg', 'percentile_cont', 'percentile_disc', 'mode',
  // window functions
  'row_number', 'rank', 'dense_rank', 'percent_rank', 'cume_dist', 'ntile', 'lag', 'lead',
  'first_value', 'last_value', 'nth_value',
]);

/** Why a function family is refused, for the message (anything else: not a known read-only built-in). */
const REFUSED_FAMILIES: Array<[RegExp, string]> = [
  [/^lo_|^loread$|^lowrite$/, 'it reads or writes large objects, which a read-only transaction does not undo for files on the server'],
  [/^pg_read_|^pg_ls_|^pg_stat_file$/, 'it reads files on the database server'],
  [/^dblink/, 'it runs SQL over a second connection, outside the read-only transaction'],
  [/^set_config$/, 'it changes a server setting, which can outlive the transaction'],
  [/^(nextval|setval|currval|lastval)$/, 'it advances a sequence, a write no rollback undoes'],
  [/^pg_sleep/, 'it holds a connection open and does nothing'],
  [/^pg_(try_)?advisory/, 'it takes locks the application may be waiting on'],
  [/^pg_(terminate|cancel)_backend$|^pg_reload_conf$|^pg_rotate_logfile$|^pg_switch_wal$/, 'it acts on the database server'],
  [/_to_xml(schema)?$|^query_to_|^cursor_to_/, 'it runs the SQL text it is given'],
  [/^current_setting$|^pg_settings/, 'it reads server settings'],
];

export function refusalReason(name: string): string {
  const family = REFUSED_FAMILIES.find(([pattern]) => pattern.test(name));
  return family ? family[1] : 'it is not a built-in function known to only read';
}

/** Operators of the built-in types (comparison, arithmetic, text, pattern, json, arrays, ranges). */
export const ALLOWED_OPERATORS: ReadonlySet<string> = new Set([
  '=', '<>', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '^', '||', '|/', '@',
  '~~', '!~~', '~~*', '!~~*', '~', '~*', '!~', '!~*',
  '->', '->>', '#>', '#>>', '@>', '<@', '?', '?|', '?&', '&&', '#-', '@?', '@@',
  'BETWEEN', 'NOT BETWEEN', 'BETWEEN SYMMETRIC', 'NOT BETWEEN SYMMETRIC',
]);

/** Built-in types a value may be cast to (a cast to another type may run a project's function). */
export const ALLOWED_TYPES: ReadonlySet<string> = new Set([
  'bool', 'boolean', 'int2', 'smallint', 'int4', 'int', 'integer', 'int8', 'bigint', 'numeric', 'decimal',
  'float4', 'real', 'float8', 'text', 'varchar', 'bpchar', 'char', 'name', 'citext', 'date', 'time', 'timetz',
  'timestamp', 'timestamptz', 'interval', 'uuid', 'json', 'jsonb', 'inet', 'cidr', 'bytea', 'oid',
]);

/** TABLESAMPLE methods that ship with PostgreSQL. */
export const ALLOWED_SAMPLING: ReadonlySet<string> = new Set(['bernoulli', 'system']);
