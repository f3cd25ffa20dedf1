/**
 * The demo's Initialize: a copy of the example project in a temp dir, then the same planner and applier
 * as `skene init --yes` (generators/planInit.ts + applyPlan.ts).
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { applyPlan } from '../../generators/applyPlan';
import { planInit } from '../../generators/planInit';
import type { InitPlan } from '../../generators/types';
import { loadSqlParser } from '../../server/core/config/sql/sqlParser';
import { analyzeProject } from '../../server/core/django/analyzeProject';

export function copyExample(exampleDir: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'skene-demo-'));
  cpSync(exampleDir, dir, { recursive: true, filter: (source) => !source.includes('__pycache__') && !source.endsWith('.pyc') });
  return dir;
}

export async function initializeProject(dir: string): Promise<InitPlan> {
  const [project] = await Promise.all([analyzeProject(dir), loadSqlParser()]);
  const plan = await planInit(project, {}, (relative) => {
    try {
      return readFileSync(path.join(dir, relative), 'utf8');
    } catch {
      return null;
    }
  });
  if (!plan.files.length) throw new Error(`Initialize planned nothing: ${plan.notes.map((n) => n.message).join('; ')}`);
  applyPlan(plan, { overwriteConflicts: false });
  return plan;
}

/** The plan as a short list: the vendored sdk folder as one line, every other file on its own. */
export function planLines(plan: InitPlan): string[] {
  const written = plan.files.filter((file) => file.action !== 'unchanged');
  const vendored = written.filter((file) => file.path.startsWith('skene/sdk/'));
  const others = written.filter((file) => !file.path.startsWith('skene/sdk/'));
  const lines = others.map((file) => `   ${file.action.padEnd(7)} ${file.path}`);
  if (vendored.length) lines.push(`   ${'create'.padEnd(7)} skene/sdk/ (${vendored.length} files: the vendored @skene/sdk)`);
  return lines;
}

/** Migration files the plan creates, in path order (the order Django applies them in this project). */
export function generatedMigrations(plan: InitPlan): string[] {
  return plan.files.filter((file) => file.action === 'create' && /\/migrations\/\d{4}_\w+\.py$/.test(file.path)).map((file) => file.path).sort();
}
