/**
 * The environment `skene run` reads (the same names as the generated runner and the Celery side), checked
 * up front so a missing variable is a clear usage error naming it rather than a failure halfway through.
 */
import { logProvider, resendProvider, smtpOptionsFromEnv, smtpProvider, type EmailProvider, type SmtpOptions } from '../../sdk/runtime';
import type { ProjectModel } from '../../server/core/django/projectModel';
import { CommandProblem } from './commandIo';


export type ProviderName = 'resend' | 'smtp' | 'log';

export interface RunEnvironment {
  databaseUrl: string;
  providerName: ProviderName;
  secret: string | undefined;
  unsubscribeUrl: string;
  defaultFrom: string | null;
  resendApiKey: string | undefined;
  resendBaseUrl: string | undefined;
  smtp: SmtpOptions;
}

function required(env: NodeJS.ProcessEnv, name: string, why: string): string {
  const value = env[name];
  if (!value) throw new CommandProblem(`${name} is not set: ${why}.`, 2);
  return value;
}

export function providerNameFor(env: NodeJS.ProcessEnv, configured: string | undefined): string {
  return env.SKENE_EMAIL_PROVIDER || configured || 'resend';
}

export function requireDatabaseUrl(env: NodeJS.ProcessEnv): string {
  return required(env, 'DATABASE_URL', 'set it to the PostgreSQL URL of your Django database, e.g. DATABASE_URL=postgres://user:password@localhost:5432/app');
}

export function readRunEnvironment(env: NodeJS.ProcessEnv, configuredProvider: string | undefined, project: ProjectModel | null, dryRun: boolean): RunEnvironment {
  const databaseUrl = requireDatabaseUrl(env);
  const name = providerNameFor(env, configuredProvider);
  if (name !== 'resend' && name !== 'smtp' && name !== 'log') {
    throw new CommandProblem(`the ${name} provider is not available in the TypeScript runner; set SKENE_EMAIL_PROVIDER=resend, smtp or log.`, 2);
  }
  const sending = !dryRun;
  if (sending && name === 'resend') {
    required(env, 'RESEND_API_KEY', 'the resend provider needs it (create one at https://resend.com/api-keys), or set SKENE_EMAIL_PROVIDER=log to print the emails instead');
    required(env, 'SKENE_UNSUBSCRIBE_URL', 'every email links to the one-click unsubscribe view; set it to the public URL of /skene/unsubscribe/ on your site');
  }
  if (sending && name === 'smtp') {
    if (!env.SMTP_URL) required(env, 'SMTP_HOST', 'the smtp provider needs a server: set SMTP_URL=smtp://user:password@host:587, or SMTP_HOST (with SMTP_PORT, SMTP_USER, SMTP_PASSWORD)');
    required(env, 'SKENE_UNSUBSCRIBE_URL', 'every email links to the one-click unsubscribe view; set it to the public URL of /skene/unsubscribe/ on your site');
  }
  if (sending) required(env, 'SKENE_SECRET', 'it signs the unsubscribe link every email carries; use the same value on the Django side');
  return {
    databaseUrl,
    providerName: name,
    secret: env.SKENE_SECRET || undefined,
    unsubscribeUrl: env.SKENE_UNSUBSCRIBE_URL ?? '',
    defaultFrom: env.DEFAULT_FROM_EMAIL || project?.email.defaultFromEmail || null,
    resendApiKey: env.RESEND_API_KEY || undefined,
    resendBaseUrl: env.RESEND_BASE_URL || undefined,
    smtp: smtpOptionsFromEnv(env),
  };
}

export function createProvider(environment: RunEnvironment, print: (line: string) => void): EmailProvider {
  if (environment.providerName === 'log') return logProvider(print);
  if (environment.providerName === 'smtp') return smtpProvider(environment.smtp);
  return resendProvider({ apiKey: environment.resendApiKey ?? '', baseUrl: environment.resendBaseUrl });
}
