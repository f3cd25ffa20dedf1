import { DIAGNOSTIC_SOURCE } from '../server/protocol';

/** vscode.DiagnosticSeverity's values (this module stays free of the vscode import, for unit tests). */
const ERROR = 0;
const WARNING = 1;

export interface ProblemCounts {
  errors: number;
  warnings: number;
}

/**
 * Skene's errors and warnings among diagnostics, counted the one way both the status bar and Check Loop Config
 * use, so the two say the same thing as the Problems panel (infos and hints are not problems in either).
 */
export function countProblems(diagnostics: Iterable<{ source?: string; severity: number }>): ProblemCounts {
  const counts: ProblemCounts = { errors: 0, warnings: 0 };
  for (const diagnostic of diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    if (diagnostic.severity === ERROR) counts.errors += 1;
    else if (diagnostic.severity === WARNING) counts.warnings += 1;
  }
  return counts;
}

/** The status bar's text: "loop ok", or only the non-zero counts ("1 error", "2 warnings", "1 error, 2 warnings"). */
export function statusText(counts: ProblemCounts): string {
  if (counts.errors + counts.warnings === 0) return 'loop ok';
  return [counts.errors ? plural(counts.errors, 'error') : '', counts.warnings ? plural(counts.warnings, 'warning') : ''].filter(Boolean).join(', ');
}

/**
 * Check Loop Config's verdict: "loop ok (0 errors, 0 warnings)" or both counts ("1 error, 0 warnings"), plus Skene's
 * problems in other files (a Python file that does not parse), which the status bar counts too.
 */
export function verdictText(counts: ProblemCounts, elsewhere: ProblemCounts = { errors: 0, warnings: 0 }): string {
  const both = `${plural(counts.errors, 'error')}, ${plural(counts.warnings, 'warning')}`;
  const others = elsewhere.errors + elsewhere.warnings ? `; ${statusText(elsewhere)} in other files` : '';
  return (counts.errors + counts.warnings === 0 ? `loop ok (${both})` : both) + others;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
