/**
 * Issues: the plain-data diagnostics of the config checker. Every issue has a stable kebab-case `code`
 * (documented in docs/diagnostics.md); quick fixes are built from `data.fixes`, never from the message.
 */
import type { Range } from './textIndex';

export type Severity = 'error' | 'warning' | 'info';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface IssueFix {
  title: string;
  edits: TextEdit[];
}

export interface IssueData {
  /** Ready-to-apply edits, best first. */
  fixes?: IssueFix[];
  /** Names the fix chose from (did-you-mean), best first. */
  candidates?: string[];
  [key: string]: unknown;
}

export interface Issue {
  code: IssueCode;
  severity: Severity;
  message: string;
  /** 0-based lines, UTF-16 characters (LSP style). */
  range: Range;
  data?: IssueData;
}

export const ISSUE_CODES = [
  'syntax-error',
  'missing-default-export',
  'not-statically-checked',
  'unknown-key',
  'missing-key',
  'wrong-type',
  'invalid-enum-value',
  'out-of-range',
  'empty-value',
  'invalid-format',
  'invalid-value',
  'invalid-duration',
  'invalid-sequence',
  'duplicate-loop-id',
  'invalid-cron',
  'unknown-timezone',
  'timeout-exceeds-schedule',
  'sql-parser-not-ready',
  'sql-syntax-error',
  'sql-not-select',
  'sql-multiple-statements',
  'sql-select-into',
  'sql-not-read-only',
  'sql-function-not-allowed',
  'sql-operator-not-allowed',
  'sql-type-not-allowed',
  'sql-parameter-not-allowed',
  'unknown-table',
  'unknown-column',
  'project-stale-reading',
  'sql-missing-user-columns',
  'unknown-placeholder',
  'placeholder-not-selected',
  'unclosed-placeholder',
  'sensitive-placeholder',
  'sensitive-column',
  'missing-template',
  'missing-api-key',
  'missing-from',
  'database-not-postgresql',
  'manifest-stale',
  'forever-flag',
  'stripe-audience-unavailable',
  'stripe-audience-assumption',
] as const;

export type IssueCode = (typeof ISSUE_CODES)[number];

/** An issue before offsets are turned into positions (rules work in offsets of the config text). */
export interface RawEdit {
  start: number;
  end: number;
  newText: string;
}

export interface RawFix {
  title: string;
  edits: RawEdit[];
}

export interface RawIssue {
  code: IssueCode;
  severity: Severity;
  message: string;
  start: number;
  end: number;
  fixes?: RawFix[];
  data?: Record<string, unknown>;
}
