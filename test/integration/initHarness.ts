/**
 * Shared steps of the `skene init` integration tests: copy a project, run `skene init --yes` in-process,
 * and drive Django (manage.py, a Python snippet) against a throw-away PostgreSQL database.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { runInit, type InitFlags } from '../../cli/commands/init';
import { checkConfig } from '../../server/core/config/checkConfig';
import { gatherCheckOptions } from '../../server/core/config/gatherCheckOptions';
import { loadSqlParser } from '../../server/core/config/sql/sqlParser';
import { analyzeProject } from '../../server/core/django/analyzeProject';
import type { ProcessResult } from '../helpers/django';

export function ok(result: ProcessResult): ProcessResult {
  assert.equal(result.code, 0, `exit ${result.code}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
  return result;
}

export interface InitRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** `skene init <dir>` in-process, as a non-terminal (so without --yes it must refuse). */
export async function initProject(dir: string, flags: InitFlags): Promise<InitRun> {
  let stdout = '';
  let stderr = '';
  const code = await runInit(dir, flags, {
    stdout: (t) => { stdout += t; },
    stderr: (t) => { stderr += t; },
    isTTY: false,
    confirm: () => Promise.reject(new Error('a non-terminal run must not ask')),
  });
  return { code, stdout, stderr };
}

/** "  create    path  — reason" lines of the text plan → { path: action }. */
export function planActions(stdout: string): Record<string, string> {
  const actions: Record<string, string> = {};
  for (const match of stdout.matchAll(/^ {2}(create|modify|unchanged|conflict) +(\S+) {2}— /gm)) actions[match[2] ?? ''] = match[1] ?? '';
  return actions;
}

/** checkConfig on skene.config.ts against the re-analyzed project: what `skene check` reports. */
export async function checkProject(dir: string) {
  await loadSqlParser();
  const project = await analyzeProject(dir);
  const text = readFileSync(path.join(dir, 'skene.config.ts'), 'utf8');
  return checkConfig(text, project, gatherCheckOptions(dir, project));
}

export async function sql<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The last JSON line a Python snippet printed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of whatever Python printed
export function lastJson(result: ProcessResult): any {
  const line = ok(result).stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line);
}

export const SETUP = 'import json, django; django.setup()\n';
