/**
 * The environment `skene run` reads (the same names as the generated runner and the Celery side), checked
 * up front so a missing variable is a clear usage error naming it rather than a failure halfway through.
 */
import { logProvider, resendProvider, RESEND_DEFAULT_BASE_URL, type EmailProvider } from '../../sdk/runtime';
import type { ProjectModel } from '../../server/core/django/projectModel';
import { CommandProblem } from './commandIo';

/** Shown by `skene run --help` and docs/cli.md. */
export const RUN_ENVIRONMENT_HELP = `
Environment:
  DATABASE_URL           PostgreSQL URL of the Django database (required)
  SKENE_EMAIL_PROVIDER   overrides the config's provider: resend | log (log prints each email)
  RESEND_API_KEY         Resend API key (required to send with resend)
  RESEND_BASE_URL        Resend API base URL (default ${RESEND_DEFAULT_BASE_URL})
  SKENE_SECRET           signs the unsubscribe link in every email (required to send; same value as the Django side)
  SKENE_UNSUBSCRIBE_URL  public URL of /skene/unsubscribe/ (required to send with resend)
  DEFAULT_FROM_EMAIL     sender for steps without \`from\` (default: the Django setting)

Exit codes: 0 ok, 1 a run failed (or the config has errors), 2 usage (a missing variable, no config).
`;

export type ProviderName = 'resend' | 'log';

export interface RunEnvironment {
  databaseUrl: string;
  providerName: ProviderName;
  secret: string | undefined;
  unsubscribeUrl: string;
  defaultFrom: string | null;
  resendApiKey: string | undefined;
  resendBaseUrl: string | undefined;
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
  if (name !== 'resend' && name !== 'log') {
    throw new CommandProblem(`the ${name} provider is not available in the TypeScript runner yet; send with the Celery task, or set SKENE_EMAIL_PROVIDER=resend or log.`, 2);
  }
  const sending = !dryRun;
  if (sending && name === 'resend') {
    required(env, 'RESEND_API_KEY', 'the resend provider needs it (create one at https://resend.com/api-keys), or set SKENE_EMAIL_PROVIDER=log to print the emails instead');
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
  };
}

export function createProvider(environment: RunEnvironment, print: (line: string) => void): EmailProvider {
  if (environment.providerName === 'log') return logProvider(print);
  return resendProvider({ apiKey: environment.resendApiKey ?? '', baseUrl: environment.resendBaseUrl });
}
