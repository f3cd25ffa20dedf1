/**
 * Names of the tables Skene's generator creates in the user's database. Defined once here so the
 * generator (migrations), both runtimes and the config checker (which must accept queries that read
 * them) agree. The DDL is sdk/runtime/ledger.sql; the checker accepts these tables without checking columns.
 */
export const SKENE_TABLES = {
  /** One row per (loop, step, user, dormancy cycle): committed before the provider is called. */
  sendLedger: 'skene_send_ledger',
  /** One row per (loop, scheduled time): claims a tick so two beats cannot both run it. */
  tick: 'skene_tick',
  /** One row per run with its lease, counters and outcome. */
  run: 'skene_run',
  /** Addresses never to email again (unsubscribed, bounced, complained). */
  suppression: 'skene_suppression',
} as const;

export type SkeneTableName = (typeof SKENE_TABLES)[keyof typeof SKENE_TABLES];

export const SKENE_TABLE_NAMES: readonly SkeneTableName[] = Object.values(SKENE_TABLES);
