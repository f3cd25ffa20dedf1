/**
 * `skene send-test --to ADDRESS [dir] [--loop ID] [--step N] [--user ID]`: renders one loop step's email as the
 * runtime would (for a sample user built from the user model, or a real user read from DATABASE_URL) and sends it,
 * marked as a test, through the configured provider. Outside the ledger: nothing is claimed, counted or capped.
 * Only to addresses in SKENE_TEST_RECIPIENTS (default: `git config user.email`).
 * Exit 0 sent, 1 the provider refused or the config cannot be read, 2 usage (address not allowed, missing variable).
 */
import path from 'node:path';
import { smtpOptionsFromEnv, type LoopManifest } from '../../sdk/runtime';
import { sampleUserRow } from '../../server/core/preview/sampleUser';
import { sendTestEmail } from '../../server/core/preview/sendTestEmail';
import { isAllowed, testAllowlist } from '../../server/core/preview/testRecipients';
import { readUserRow, UserNotFound } from '../../server/core/preview/readUserRow';
import { buildRuntimeLoops } from '../run/buildRuntimeLoops';
import { CommandProblem, type CommandIo } from '../run/commandIo';
import { configErrors, formatConfigIssues, readLoopProject, type LoopProject } from '../run/readLoopProject';
import { createProvider, providerNameFor, requireDatabaseUrl, type RunEnvironment } from '../run/runEnvironment';

export interface SendTestFlags {
  to?: string;
  loop?: string;
  step?: string;
  user?: string;
}

/** Used when SKENE_SECRET is unset: test links are signed for no real user anyway (see testLinkUserId). */
const PLACEHOLDER_SECRET = 'skene-test-secret';
const PLACEHOLDER_UNSUBSCRIBE_URL = 'https://example.invalid/skene/unsubscribe/';

function pickLoop(loops: LoopManifest[], id: string | undefined): LoopManifest {
  const loop = id === undefined ? loops[0] : loops.find((candidate) => candidate.id === id);
  if (!loop) throw new CommandProblem(`no loop ${JSON.stringify(id)} in skene.config.ts (loops: ${loops.map((l) => l.id).join(', ')})`, 2);
  return loop;
}

function pickStep(loop: LoopManifest, text: string | undefined): number {
  const step = text === undefined ? 1 : Number(text);
  if (!Number.isInteger(step) || step < 1 || step > loop.steps.length) throw new CommandProblem(`--step must be 1..${loop.steps.length} for loop ${loop.id}`, 2);
  return step - 1;
}

async function userRow(loopProject: LoopProject, loop: LoopManifest, flags: SendTestFlags, env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  if (flags.user === undefined) {
    const fields = loopProject.project?.userModel?.fields;
    if (!fields) throw new CommandProblem('the user model could not be read to build a sample user; pass --user ID to use a real one', 1);
    return sampleUserRow(fields);
  }
  try {
    return await readUserRow(requireDatabaseUrl(env), loop, flags.user);
  } catch (error) {
    if (error instanceof UserNotFound) throw new CommandProblem(error.message, 1);
    if (error instanceof CommandProblem) throw error;
    throw new CommandProblem(`cannot read user ${flags.user}: ${(error as Error).message}`, 1);
  }
}

function providerEnvironment(env: NodeJS.ProcessEnv, name: string, loopProject: LoopProject): RunEnvironment {
  if (name !== 'resend' && name !== 'smtp' && name !== 'log') throw new CommandProblem(`the ${name} provider is not available here; set SKENE_EMAIL_PROVIDER=resend, smtp or log.`, 2);
  if (name === 'resend' && !env.RESEND_API_KEY) throw new CommandProblem('RESEND_API_KEY is not set: the resend provider needs it (or set SKENE_EMAIL_PROVIDER=log to print the email instead).', 2);
  return {
    databaseUrl: env.DATABASE_URL ?? '', providerName: name, secret: env.SKENE_SECRET || undefined, unsubscribeUrl: env.SKENE_UNSUBSCRIBE_URL || PLACEHOLDER_UNSUBSCRIBE_URL,
    defaultFrom: env.DEFAULT_FROM_EMAIL || loopProject.project?.email.defaultFromEmail || null, resendApiKey: env.RESEND_API_KEY || undefined, resendBaseUrl: env.RESEND_BASE_URL || undefined,
    smtp: smtpOptionsFromEnv(env),
  };
}

export async function runSendTest(dir: string, flags: SendTestFlags, io: CommandIo): Promise<number> {
  try {
    return await sendChecked(path.resolve(dir), flags, io);
  } catch (error) {
    if (!(error instanceof CommandProblem)) throw error;
    io.stderr(`skene send-test: ${error.message}\n`);
    return error.exitCode;
  }
}

async function sendChecked(root: string, flags: SendTestFlags, io: CommandIo): Promise<number> {
  const to = flags.to?.trim() ?? '';
  const allowlist = await testAllowlist(io.env.SKENE_TEST_RECIPIENTS, root);
  if (!isAllowed(allowlist, to)) {
    const allowed = allowlist.addresses.length ? allowlist.addresses.join(', ') : 'nobody';
    throw new CommandProblem(`${to || '(empty)'} is not an allowed test recipient (${allowlist.source}: ${allowed}); add it to SKENE_TEST_RECIPIENTS so a test never reaches a customer.`, 2);
  }
  const loopProject = await readLoopProject(root);
  if (configErrors(loopProject).length) {
    io.stderr(formatConfigIssues(loopProject));
    throw new CommandProblem('skene.config.ts has errors; fix them (npx skene-django check) first.', 1);
  }
  const configured = loopProject.loops[0]?.manifest?.steps[0]?.provider;
  const environment = providerEnvironment(io.env, providerNameFor(io.env, configured), loopProject);
  const loop = pickLoop(buildRuntimeLoops(loopProject, { defaultFrom: environment.defaultFrom, unsubscribeUrl: environment.unsubscribeUrl }), flags.loop);
  const step = pickStep(loop, flags.step);
  const user = await userRow(loopProject, loop, flags, io.env);
  const provider = createProvider(environment, (line) => io.stdout(`${line}\n`));
  const result = await sendTestEmail(provider, { loop, step, user, secret: environment.secret ?? PLACEHOLDER_SECRET, testTo: to });
  const who = flags.user === undefined ? 'a sample user' : `user ${flags.user}`;
  if (!result.ok) {
    io.stderr(`skene send-test: ${environment.providerName} refused the test email: ${result.reason}\n`);
    return 1;
  }
  io.stdout(`Sent a test of ${loop.id} step ${step + 1} (template ${result.email.template}, ${who}) to ${to} via ${environment.providerName}${result.messageId ? ` (id ${result.messageId})` : ''}.\nSubject: ${result.email.subject}\n`);
  for (const warning of result.email.warnings) io.stdout(`warning: ${warning.message}\n`);
  return 0;
}
