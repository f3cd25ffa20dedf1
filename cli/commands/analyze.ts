/**
 * `skene analyze [dir] [--json]`: the ProjectModel of a Django project, read from its source.
 * Exit 0, or 2 when no Django project is found (or the analysis fails).
 */
import path from 'node:path';
import { analyzeProject, NoDjangoProjectError } from '../../server/core/django/analyzeProject';
import type { ProjectModel } from '../../server/core/django/projectModel';
import { cliAnalyzeOptions } from '../analyzeOptions';

export async function runAnalyze(dir: string, json: boolean): Promise<number> {
  let model: ProjectModel;
  try {
    model = await analyzeProject(path.resolve(dir), cliAnalyzeOptions());
  } catch (error) {
    if (error instanceof NoDjangoProjectError) {
      process.stderr.write(`skene analyze: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  process.stdout.write(json ? `${JSON.stringify(model, null, 2)}\n` : formatSummary(model));
  return 0;
}

/** The readable summary: what a developer checks before running `skene init`. */
export function formatSummary(model: ProjectModel): string {
  const lines: string[] = [`Django project: ${model.root}`];
  const s = model.settings;
  lines.push(`Settings:       ${s.module ?? '(unknown)'}${s.files.length ? ` (${s.files.join(', ')})` : ''}`);
  const user = model.userModel;
  lines.push(`User model:     ${model.authUserModel}${user ? ` -> ${user.class} in ${user.builtin ? 'Django' : `${user.file}:${user.line}`}` : ' (not found)'}`);
  if (user) {
    lines.push(`User table:     ${user.table}`);
    lines.push(`User fields:    ${user.fields.map((f) => (f.column === f.name ? f.name : `${f.name} (${f.column})`)).join(', ')}`);
  }
  lines.push(`Apps:           ${model.apps.filter((a) => a.path).map((a) => a.label).join(', ') || '(no local apps)'}`);
  lines.push(`Models:         ${(model.models ?? []).length} concrete`);
  const db = model.database;
  const when = db.postgresSupport === 'conditional' ? `; PostgreSQL when ${db.postgresCondition}` : '';
  lines.push(`Database:       ${db.engine ?? '(unknown)'}${db.urlEnv ? ` (from ${db.urlEnv})` : ''}${when}${db.driver ? `, driver ${db.driver}` : ''}`);
  const c = model.celery;
  lines.push(`Celery:         ${c ? `${c.appModule} (beat: ${c.beat}${c.namespace ? `, namespace ${c.namespace}` : ''})` : 'none'}`);
  if (model.jobs) lines.push(`Jobs:           ${model.jobs.system}${model.jobs.scheduler ? ` (scheduler: ${model.jobs.scheduler})` : ''}`);
  lines.push(`Email:          ${model.email.provider ?? 'unknown'} (${model.email.backend ?? 'backend unknown'})`);
  const st = model.stripe;
  const djstripe = st.djstripe === false ? 'no' : st.djstripe === true ? 'yes' : st.djstripe;
  lines.push(`Stripe:         sdk ${st.sdk ? 'yes' : 'no'}, dj-stripe ${djstripe}, customer id ${st.customerIdField ?? 'none'}`);
  const ev = model.activity.eventsModel;
  lines.push(`Activity:       ${ev ? `${ev.table} (${ev.userField}, ${ev.timeField})` : 'no events model'}; last activity field ${model.activity.lastActivityField ?? 'none'}`);
  const unresolved = [...model.unresolved, ...(model.skipped ?? [])];
  lines.push(unresolved.length ? `Unresolved (${unresolved.length}):` : 'Unresolved:     none');
  for (const fact of unresolved) lines.push(`  ${fact.file || '(project)'}${fact.line ? `:${fact.line}` : ''}  ${fact.message}`);
  return `${lines.join('\n')}\n`;
}
