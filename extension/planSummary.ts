import type { PlannedFile } from '../server/protocol';

export interface PlanCounts {
  create: number;
  modify: number;
  unchanged: number;
  conflict: number;
  /** An older Skene's vendored files, removed with the rest of the plan. */
  delete: number;
}

export function countPlan(files: readonly PlannedFile[]): PlanCounts {
  const counts: PlanCounts = { create: 0, modify: 0, unchanged: 0, conflict: 0, delete: 0 };
  for (const file of files) counts[file.action] += 1;
  return counts;
}

/** "3 new files, 2 changed, 1 conflict" — only the non-zero parts. */
export function describePlan(files: readonly PlannedFile[]): string {
  const counts = countPlan(files);
  const parts = [
    plural(counts.create, 'new file', 'new files'),
    plural(counts.modify, 'changed file', 'changed files'),
    plural(counts.conflict, 'conflict', 'conflicts'),
    plural(counts.delete, 'old file removed', 'old files removed'),
    plural(counts.unchanged, 'unchanged', 'unchanged'),
  ].filter((part) => part !== '');
  return parts.join(', ') || 'no files';
}

function plural(n: number, one: string, many: string): string {
  if (n === 0) return '';
  return `${n} ${n === 1 ? one : many}`;
}

/** Whether what was written includes a Django migration: only then is `migrate` the next step. */
export function writesMigration(files: readonly PlannedFile[]): boolean {
  return files.some((file) => /(^|\/)migrations\/\d{4}_[^/]*\.py$/.test(file.path));
}
