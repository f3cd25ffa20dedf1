/** One line of `skene doctor`: what was checked, what was found, and how to fix a miss. */

export type CheckStatus = 'pass' | 'fail' | 'skip';

export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a failure (or why a check was skipped and how to enable it). */
  fix?: string;
}

const MARKS: Record<CheckStatus, { unicode: string; ascii: string }> = {
  pass: { unicode: '✓', ascii: '[ok]  ' },
  fail: { unicode: '✗', ascii: '[FAIL]' },
  skip: { unicode: '-', ascii: '[skip]' },
};

export function formatCheck(result: CheckResult, unicode: boolean): string {
  const mark = MARKS[result.status][unicode ? 'unicode' : 'ascii'];
  const head = `${mark} ${result.name}: ${result.detail}`;
  return result.fix ? `${head}\n${' '.repeat(unicode ? 2 : 7)}fix: ${result.fix}\n` : `${head}\n`;
}

export const pass = (name: string, detail: string): CheckResult => ({ name, status: 'pass', detail });
export const fail = (name: string, detail: string, fix: string): CheckResult => ({ name, status: 'fail', detail, fix });
export const skip = (name: string, detail: string, fix?: string): CheckResult => ({ name, status: 'skip', detail, ...(fix ? { fix } : {}) });
