/**
 * `skene init [dir] [--dry-run] [--yes] [--json]`: plans every file Initialize creates or changes and
 * applies the plan. --dry-run prints it (action + diff per file) and writes nothing; --yes applies without
 * asking (conflicts included); without --yes a terminal asks y/N and a non-terminal prints the plan and
 * exits 1. Exit 0 applied (or dry run), 1 not applied or blocking problems, 2 no Django project.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { applyPlan } from '../../generators/applyPlan';
import { ACTIVITY_MIDDLEWARE, activitySummary, candidateId } from '../../generators/activitySource';
import { AGENTS_FILE } from '../../generators/editor/agentFiles';
import { planInit } from '../../generators/planInit';
import { CLI_PACKAGE } from '../../sdk/generated';
import type { InitPlan, SchedulerChoice } from '../../generators/types';
import { analyzeProject, NoDjangoProjectError } from '../../server/core/django/analyzeProject';
import { cdToProject, cliAnalyzeOptions } from '../analyzeOptions';
import { loadSqlParser } from '../../server/core/config/sql/sqlParser';

export interface InitFlags {
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
  /** Who runs the loop: auto (default), celery, command. */
  scheduler?: string;
  /** Also write AGENTS.md's Skene section and the Cursor rule. */
  agents?: boolean;
  /** What feeds last activity: auto, middleware, or a candidate table ("app_label.Model" or the table name). */
  activity?: string;
}

export interface InitIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTTY: boolean;
  /** Asks a yes/no question on the terminal. */
  confirm: (question: string) => Promise<boolean>;
}

/** The real terminal: y/N questions on stdin (only when both stdin and stdout are terminals). */
export function terminalInitIo(): InitIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdin.isTTY && process.stdout.isTTY),
    async confirm(question) {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try {
        return /^y(es)?$/i.test((await rl.question(question)).trim());
      } finally {
        rl.close();
      }
    },
  };
}

function readProjectFile(root: string) {
  return (relative: string): string | null => {
    try {
      return readFileSync(path.join(root, relative), 'utf8');
    } catch {
      return null;
    }
  };
}

const SCHEDULERS: SchedulerChoice[] = ['auto', 'celery', 'command'];

export async function runInit(dir: string, flags: InitFlags, io: InitIo): Promise<number> {
  const scheduler = (flags.scheduler ?? 'auto') as SchedulerChoice;
  if (!SCHEDULERS.includes(scheduler)) {
    io.stderr(`skene init: --scheduler must be one of ${SCHEDULERS.join(', ')} (got ${JSON.stringify(flags.scheduler)}).\n`);
    return 2;
  }
  let plan: InitPlan;
  try {
    const [project] = await Promise.all([analyzeProject(path.resolve(dir), cliAnalyzeOptions()), loadSqlParser()]);
    plan = await planInit(project, { scheduler, agents: flags.agents === true, ...(flags.activity !== undefined ? { activity: flags.activity } : {}) }, readProjectFile(project.root));
  } catch (error) {
    if (!(error instanceof NoDjangoProjectError)) throw error;
    io.stderr(`skene init: ${error.message}\n`);
    return 2;
  }
  const blocking = plan.notes.some((n) => n.severity === 'error' && (n.blocking === true || plan.files.length === 0));
  io.stdout(flags.json ? `${JSON.stringify(planJson(plan), null, 2)}\n` : formatPlan(plan, flags.dryRun === true || !flags.yes));
  if (blocking) return 1;
  if (flags.dryRun) return 0;
  if (!flags.yes) {
    if (!io.isTTY) {
      io.stderr('skene init: nothing written. Re-run with --yes to apply this plan (or --dry-run to only look).\n');
      return 1;
    }
    if (!(await io.confirm('Apply this plan? [y/N] '))) {
      io.stderr('skene init: nothing written.\n');
      return 1;
    }
  }
  const result = applyPlan(plan, { overwriteConflicts: true });
  if (!flags.json) io.stdout(`Wrote ${result.written.length} file(s)${result.removed.length ? `, removed ${result.removed.length}` : ''}. Next: ${cdToProject(plan.root)}python manage.py migrate, then npx ${CLI_PACKAGE} check.\n`);
  if (!flags.json && !plan.files.some((file) => file.path === AGENTS_FILE)) io.stdout(`For coding agents (Cursor, Codex, …): npx ${CLI_PACKAGE} init --agents adds a Skene section to AGENTS.md and .cursor/rules/skene.mdc.\n`);
  return 0;
}

export function planJson(plan: InitPlan) {
  return {
    root: plan.root,
    files: plan.files.map((f) => ({ path: f.path, action: f.action, reason: f.reason, diff: f.diff })),
    notes: plan.notes,
    ...(plan.activity ? { activity: { used: plan.activity.events ? candidateId(plan.activity.events) : ACTIVITY_MIDDLEWARE, chosenBy: plan.activity.chosenBy, candidates: plan.activity.candidates } } : {}),
  };
}

export function formatPlan(plan: InitPlan, withDiffs: boolean): string {
  const lines = [`Skene init plan for ${plan.root}`];
  for (const file of plan.files) lines.push(`  ${file.action.padEnd(9)} ${file.path}  — ${file.reason}`);
  const counts = ['create', 'modify', 'unchanged', 'conflict', 'delete'].map((a) => `${plan.files.filter((f) => f.action === a).length} ${a}`);
  lines.push(`  (${counts.join(', ')})`);
  const activity = plan.activity ? activitySummary(plan.activity) : null;
  if (activity) lines.push(activity);
  for (const note of plan.notes) lines.push(`${note.severity}: ${note.message}`);
  if (withDiffs) for (const file of plan.files) if (file.diff && file.action !== 'unchanged') lines.push('', file.diff.trimEnd());
  return `${lines.join('\n')}\n`;
}
