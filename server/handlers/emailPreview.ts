/**
 * `skene/previewEmail` and `skene/sendTestEmail`: the email of a loop step as the runtime would send it, for the
 * preview panel, and its test send. A real user's row is read only in a trusted workspace, from the same database
 * setting as the report; it stays between this process and the editor.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoopManifest } from '../../sdk/runtime/manifest';
import { logProvider } from '../../sdk/runtime/providers/logProvider';
import type { EmailProvider } from '../../sdk/runtime/providers/provider';
import { resendProvider } from '../../sdk/runtime/providers/resendProvider';
import { smtpOptionsFromEnv, smtpProvider } from '../../sdk/runtime/providers/smtpProvider';
import type { BuiltPreview, UserChoice } from '../core/preview/buildPreview';
import { readUserRow } from '../core/preview/readUserRow';
import { sampleUserRow } from '../core/preview/sampleUser';
import { isAllowed, testAllowlist } from '../core/preview/testRecipients';
import { shortReason } from '../core/report/queryLoopReports';
import { readReportFacts } from '../core/report/readReportFacts';
import type { ProjectState } from '../core/workspace/projectState';
import { Requests, type PreviewEmailParams, type PreviewEmailResult, type SendTestParams, type SendTestResult } from '../protocol';
import type { ServerContext } from './context';
import { guard } from './guard';
import type { ReportLenses } from './report';

function userSource(report: ReportLenses, uri: string, state: ProjectState, userId: string | null | undefined): (loop: LoopManifest) => Promise<UserChoice | string> {
  return async (loop) => {
    if (!userId) {
      const fields = state.model?.userModel?.fields;
      return fields ? { kind: 'sample', row: sampleUserRow(fields) } : 'The user model could not be read to build a sample user.';
    }
    const url = await report.viewDatabaseUrl(uri);
    if (!url) return report.trusted() ? 'No database: set skene.report.databaseUrl, or start VS Code with DATABASE_URL set.' : 'A real user is read from your database: trust this workspace first.';
    try {
      return { kind: 'real', row: await readUserRow(url, loop, userId) };
    } catch (error) {
      return `Cannot read user ${userId}: ${shortReason(error)}`;
    }
  };
}

/** The preview, or why there is none (a sentence for the panel). */
async function preview(ctx: ServerContext, report: ReportLenses, params: PreviewEmailParams): Promise<BuiltPreview | string> {
  const state = ctx.projects.forFile(params.templatePath ?? params.root);
  await Promise.all([state.ready, ctx.engineReady]);
  const uri = pathToFileURL(state.configPath).href;
  const open = ctx.documents.get(uri);
  const text = open?.getText() ?? state.savedConfigText();
  if (text === null) return 'No skene.config.ts in this project: run Skene: Initialize.';
  const loops = ctx.configs.get(uri, open?.version ?? -1, text, state).result.loops.flatMap((loop) => loop.manifest ?? []);
  let facts;
  try {
    facts = readReportFacts(state.root);
  } catch (error) {
    return shortReason(error);
  }
  const templateName = params.templatePath ? path.basename(params.templatePath).replace(/\.(html|txt)$/, '') : undefined;
  const env = { defaultFrom: process.env.DEFAULT_FROM_EMAIL || state.model?.email.defaultFromEmail || null, unsubscribeUrl: process.env.SKENE_UNSUBSCRIBE_URL, secret: process.env.SKENE_SECRET };
  // Loaded on the first preview (and sendTestEmail on the first test send): they bring juice and cheerio (with
  // undici and iconv-lite), whose module set-up delayed every server start's first diagnostics by ~0.15 s
  // (bench/lsp.ts), though most sessions never open a preview.
  const { buildPreview } = await import('../core/preview/buildPreview');
  return buildPreview({ root: state.root, loops, facts, target: { templateName, loopId: params.loopId, step: params.step }, user: userSource(report, uri, state, params.userId), unsaved: params.unsaved ?? {}, env });
}

function providerFor(name: string, env: NodeJS.ProcessEnv): EmailProvider | string {
  if (name === 'log') return logProvider(() => undefined);
  if (name === 'smtp') return smtpProvider(smtpOptionsFromEnv(env));
  if (name !== 'resend') return `the ${name} provider cannot send from the editor; set SKENE_EMAIL_PROVIDER=resend, smtp or log`;
  if (!env.RESEND_API_KEY) return 'RESEND_API_KEY is not set in the environment VS Code was started with';
  return resendProvider({ apiKey: env.RESEND_API_KEY, baseUrl: env.RESEND_BASE_URL || undefined });
}

async function handleSendTest(ctx: ServerContext, report: ReportLenses, params: SendTestParams): Promise<SendTestResult> {
  if (!report.trusted()) return { ok: false, message: 'A test send uses your provider credentials: trust this workspace first.' };
  const state = ctx.projects.forFile(params.templatePath ?? params.root);
  await state.ready;
  const settings = await ctx.settings.get(pathToFileURL(state.configPath).href);
  const allowlist = await testAllowlist(settings.testSend.recipients.join(',') || process.env.SKENE_TEST_RECIPIENTS, state.root);
  if (!isAllowed(allowlist, params.to)) return { ok: false, message: `${params.to} is not an allowed test recipient (allowed: ${allowlist.addresses.join(', ') || 'nobody'}); add it to skene.testSend.recipients.` };
  const built = await preview(ctx, report, params);
  if (typeof built === 'string') return { ok: false, message: built };
  const provider = providerFor(process.env.SKENE_EMAIL_PROVIDER || built.loop.steps[built.view.step]?.provider || 'resend', process.env);
  if (typeof provider === 'string') return { ok: false, message: provider };
  const { sendTestEmail } = await import('../core/preview/sendTestEmail');
  const sent = await sendTestEmail(provider, { loop: built.loop, step: built.view.step, user: built.user, secret: built.secret, testTo: params.to });
  return sent.ok ? { ok: true, message: `Sent "${sent.email.subject}" to ${params.to} via ${provider.name}${sent.messageId ? ` (id ${sent.messageId})` : ''}.` } : { ok: false, message: `${provider.name} refused the test email: ${sent.reason}` };
}

export function registerEmailPreview(ctx: ServerContext, report: ReportLenses): void {
  ctx.connection.onRequest(Requests.previewEmail, guard(ctx, async (params: PreviewEmailParams): Promise<PreviewEmailResult> => {
    const built = await preview(ctx, report, params);
    return typeof built === 'string' ? { error: built } : { preview: built.view };
  }, { error: 'the language server failed (see the Skene output)' }));
  ctx.connection.onRequest(Requests.sendTestEmail, guard(ctx, (params: SendTestParams) => handleSendTest(ctx, report, params), { ok: false, message: 'the language server failed (see the Skene output)' }));
}
