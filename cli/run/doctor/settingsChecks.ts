/**
 * The settings `skene run` needs before it can send, one CheckResult each (the shape `skene doctor` prints), in
 * the order a user fixes them: where the database is, which provider sends, the provider's own settings, the
 * unsubscribe link and its secret, the sender. They only read the environment and the parsed loops: nothing
 * is connected to. `skene run` reports every failure in one message instead of stopping at the first.
 */
import type { ManifestLoop } from '../../../sdk/manifest';
import type { ProjectModel } from '../../../server/core/django/projectModel';
import { providerNameFor } from '../runEnvironment';
import { fail, pass, type CheckResult } from './doctorCheck';

export interface SettingsContext {
  env: NodeJS.ProcessEnv;
  loops: ManifestLoop[];
  project: ProjectModel | null;
  /** A dry run sends nothing: only the database is needed. */
  dryRun: boolean;
}

const RUNNER_PROVIDERS = ['resend', 'smtp', 'log'];

function isPostgresUrl(value: string): boolean {
  try {
    return /^postgres(ql)?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

function databaseUrl(env: NodeJS.ProcessEnv): CheckResult {
  const value = env.DATABASE_URL;
  const fix = 'export DATABASE_URL=postgres://USER:PASSWORD@HOST:5432/DBNAME (the database of Django\'s DATABASES["default"])';
  if (!value) return fail('DATABASE_URL', 'is not set', fix);
  if (!isPostgresUrl(value)) return fail('DATABASE_URL', 'is not a postgres:// or postgresql:// URL', fix);
  return pass('DATABASE_URL', 'set');
}

/** The providers the loops send with (SKENE_EMAIL_PROVIDER overrides each step's). */
export function providersOf(env: NodeJS.ProcessEnv, loops: ManifestLoop[]): string[] {
  const configured = loops.flatMap((loop) => loop.steps.map((step) => step.provider));
  return [...new Set((configured.length ? configured : [undefined]).map((name) => providerNameFor(env, name)))];
}

function providerChecks(env: NodeJS.ProcessEnv, providers: string[]): CheckResult[] {
  const results: CheckResult[] = [];
  const unknown = providers.filter((name) => !RUNNER_PROVIDERS.includes(name));
  if (unknown.length) results.push(fail('Email provider', `${unknown.join(', ')} is not available in the TypeScript runner`, 'set SKENE_EMAIL_PROVIDER=resend, smtp or log (log prints each email instead of sending)'));
  if (providers.includes('resend') && !env.RESEND_API_KEY) {
    results.push(fail('RESEND_API_KEY', 'is not set (the resend provider needs it)', 'create a key at https://resend.com/api-keys and export RESEND_API_KEY, or set SKENE_EMAIL_PROVIDER=log to print the emails instead'));
  }
  if (providers.includes('smtp') && !env.SMTP_URL && !env.SMTP_HOST) {
    results.push(fail('SMTP_URL', 'neither SMTP_URL nor SMTP_HOST is set (the smtp provider needs a server)', 'export SMTP_URL=smtp://user:password@host:587, or SMTP_HOST with SMTP_PORT, SMTP_USER, SMTP_PASSWORD'));
  }
  return results;
}

function unsubscribeChecks(env: NodeJS.ProcessEnv, providers: string[]): CheckResult[] {
  const results: CheckResult[] = [];
  const url = env.SKENE_UNSUBSCRIBE_URL;
  if (providers.some((name) => name !== 'log')) {
    const fix = 'export SKENE_UNSUBSCRIBE_URL=https://<your site>/skene/unsubscribe/ (the public URL of the unsubscribe view Initialize added)';
    if (!url) results.push(fail('SKENE_UNSUBSCRIBE_URL', 'is not set: every email links to the one-click unsubscribe view', fix));
    else if (!isHttpUrl(url)) results.push(fail('SKENE_UNSUBSCRIBE_URL', `"${url}" is not an http(s) URL`, fix));
  }
  if (!env.SKENE_SECRET) results.push(fail('SKENE_SECRET', 'is not set: it signs the unsubscribe link every email carries', 'export SKENE_SECRET=<a long random string>, the same value as on the Django side (which falls back to SECRET_KEY)'));
  return results;
}

function senderCheck(env: NodeJS.ProcessEnv, loops: ManifestLoop[], project: ProjectModel | null): CheckResult | null {
  const without = loops.filter((loop) => loop.steps.some((step) => !step.from)).map((loop) => loop.id);
  if (!without.length || env.DEFAULT_FROM_EMAIL || project?.email.defaultFromEmail) return null;
  return fail('DEFAULT_FROM_EMAIL', `loop ${without.join(', ')} has a step without \`from\`, and no default sender is set`, 'export DEFAULT_FROM_EMAIL="Acme <hello@acme.com>" (or set it in Django\'s settings), or add `from` to the email action');
}

/** Every setting the run needs; a dry run needs the database only. */
export function settingsChecks(context: SettingsContext): CheckResult[] {
  const { env, loops, project } = context;
  const database = databaseUrl(env);
  if (context.dryRun) return [database];
  const providers = providersOf(env, loops);
  const sender = senderCheck(env, loops, project);
  return [database, ...providerChecks(env, providers), ...unsubscribeChecks(env, providers), ...(sender ? [sender] : [])];
}
