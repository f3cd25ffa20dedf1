import { AGENT_CLI as SKENE, cdPrefix, isSensitiveFieldName } from '../server/protocol';
import type { ProjectFacts } from './projectFacts';

/**
 * The prompt "Copy Prompt for Cursor" puts on the clipboard: this project's facts, then a task for
 * Cursor's agent that goes through the CLI (`npx --yes skene-django init`, `… check --format json`), so the
 * agent's edits are checked by the same engine as the editor's. Every command works as written from the
 * workspace folder, where the agent's terminal starts: it enters `folder` (the Django project's path in the
 * workspace, '.' when it is the workspace itself) first. Plain text in, plain text out.
 */
export function buildCursorPrompt(facts: ProjectFacts, hasConfig: boolean, folder = '.'): string {
  const cd = cdPrefix(folder);
  return [
    hasConfig
      ? 'Change the Skene retention loop of this Django project (skene.config.ts).'
      : 'Set up a Skene retention loop (re-engagement email for dormant users) in this Django project.',
    '',
    'Project facts, read statically by Skene (nothing was executed):',
    ...factLines(facts).map((line) => `- ${line}`),
    '',
    `Steps (run each command exactly as written, from the workspace folder${cd ? `; they start with \`${cd.slice(0, -4)}\`, the folder with manage.py` : ''}; the CLI is the skene-django npm package and needs no install step):`,
    ...taskLines(hasConfig, cd).map((line, index) => `${index + 1}. ${line}`),
    '',
    'Rules: use only the table and column names listed above (never a made-up `users` table); `{{user.<field>}}` ' +
      'placeholders must name fields of the user model; conditions are a single read-only SELECT; keep RESEND_API_KEY ' +
      'in the environment, never in a file.',
  ].join('\n');
}

function factLines(facts: ProjectFacts): string[] {
  const user = facts.userModel;
  const events = facts.activity.eventsModel;
  return [
    `Project root: ${facts.root}`,
    `Settings module: ${facts.settings.module ?? 'unknown (set DJANGO_SETTINGS_MODULE)'}`,
    user
      ? `User model: ${facts.authUserModel} (class ${user.class} in ${user.file}:${user.line}), table \`${user.table}\``
      : `User model: ${facts.authUserModel} (not found in the project source)`,
    ...(user ? [`User fields (field → column): ${user.fields.filter((f) => f.column === null || !isSensitiveFieldName(f.column)).map(describeField).join(', ')} (credential fields such as the password hash are left out: never select them)`] : []),
    `Database: ${facts.database.engine ?? 'unknown engine'}`,
    facts.celery ? `Celery: app in \`${facts.celery.appModule}\`, beat schedule: ${facts.celery.beat}` : 'Celery: none (Skene can add one)',
    `Email provider: ${facts.email.provider ?? 'unknown'}`,
    `Stripe: ${describeStripe(facts.stripe)}`,
    events
      ? `Activity: ${events.app}.${events.class} (table \`${events.table}\`, user \`${events.userField}\`, time \`${events.timeField}\`)`
      : 'Activity: no events table (Skene adds a throttled middleware)',
  ];
}

function describeField(field: { name: string; type: string; column: string | null; manyToMany?: { throughTable: string | null } }): string {
  if (field.column === null) return `${field.name} (many-to-many, no column: join ${field.manyToMany?.throughTable ?? 'its through table'})`;
  return field.name === field.column ? `${field.name} (${field.type})` : `${field.name} → ${field.column} (${field.type})`;
}

function describeStripe(stripe: ProjectFacts['stripe']): string {
  const parts = [stripe.sdk ? 'stripe SDK used' : 'no stripe SDK'];
  if (stripe.djstripe) parts.push(`dj-stripe${typeof stripe.djstripe === 'string' ? ` ${stripe.djstripe}` : ''}`);
  if (stripe.customerIdField) parts.push(`customer id in \`${stripe.customerIdField}\``);
  return parts.join(', ');
}

function taskLines(hasConfig: boolean, cd: string): string[] {
  const first = hasConfig
    ? 'Read skene.config.ts and make this change: <describe the change you want>.'
    : `Run \`${cd}${SKENE} init --dry-run\` and show me every file it would create or change; after I agree, run \`${cd}${SKENE} init --yes\`.`;
  return [
    first,
    `Run \`${cd}${SKENE} check --format json\` and fix every issue it reports (each has a code, file, line and column) until it reports none.`,
    `If the plan added a migration, tell me to run \`${cd}python manage.py migrate\`; then how the loop runs (the scheduler Skene set up, or \`${cd}DATABASE_URL=postgres://… ${SKENE} run --once --dry-run\` to see who would get an email).`,
  ];
}
