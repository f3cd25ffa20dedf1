/** The loop runtime behind `skene run`: public surface of sdk/runtime. */
export { runLoopOnce } from './runLoopOnce';
export type { RunOptions, RunSummary, RunStatus } from './runTypes';
export type { LoopManifest, ManifestStep, ManifestAudience, ManifestRecovery } from './manifest';
export { MANIFEST_DEFAULTS, MAX_BATCH_SIZE, manifestProblems } from './manifest';
export { resendProvider, RESEND_DEFAULT_BASE_URL } from './providers/resendProvider';
export { logProvider } from './providers/logProvider';
export { smtpProvider, smtpOptionsFromEnv, smtpMessageId, type SmtpOptions } from './providers/smtpProvider';
export type { EmailProvider, ProviderRequest, ProviderResult } from './providers/provider';
export { ledgerSql } from './ledgerSchema';
export { checkCondition } from './conditionGuard';
export { scheduledTick } from './scheduledTick';
export { verifyUnsubscribeToken, unsubscribeLink } from './unsubscribe';
