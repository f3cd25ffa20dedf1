/**
 * The environment `skene run` reads (the same names as the generated runner and the Celery side), and the
 * email provider it makes from it. The checks of those values live in doctor/settingsChecks.ts.
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

/**
 * What the run reads from the environment. Whether each needed value is there and well-formed is checked
 * before, all at once (doctor/settingsChecks.ts); this only collects them.
 */
export function readRunEnvironment(env: NodeJS.ProcessEnv, configuredProvider: string | undefined, project: ProjectModel | null): RunEnvironment {
  return {
    databaseUrl: requireDatabaseUrl(env),
    providerName: providerNameFor(env, configuredProvider) as ProviderName,
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
