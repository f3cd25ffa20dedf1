/**
 * `@skene/sdk`: what a project's skene.config.ts imports. Vendored into generated projects, so it depends
 * on zod only and uses no Node-only module.
 */
export { defineLoop, defineLoops, parseLoops } from './defineLoop';
export {
  loopSchema,
  loopsSchema,
  stepSchema,
  triggerSchema,
  conditionSchema,
  actionSchema,
  emailActionSchema,
  exitSchema,
  recoverySchema,
  trackingSchema,
  frequencyCapSchema,
  globalCapSchema,
  quietHoursSchema,
  LOOP_TYPES,
  EMAIL_PROVIDERS,
  BACKOFF_KINDS,
  AUDIENCES,
  SKENE_CODE_PARAM,
} from './schema';
export type * from './types';
export { parseDuration, formatDuration, isDuration, suggestDuration, DURATION_SYNTAX, DURATION_UNIT_MS } from './duration';
export type { DurationUnit } from './duration';
export { SKENE_TABLES, SKENE_TABLE_NAMES } from './tables';
export type { SkeneTableName } from './tables';
export { emailTemplateFiles, EMAIL_TEMPLATE_FOLDER, GENERATED_TEMPLATE_NAMES } from './emailTemplates';
export { toManifest, MANIFEST_VERSION } from './manifest';
export type { LoopManifest, ManifestLoop, ManifestStep, ManifestOptions } from './manifest';
export { LAST_ACTIVITY_COLUMN, RETENTION_APP, USER_ACTIVITY_TABLE, GENERATED_MANIFEST_FILE } from './generated';
export { toPlannedLoop, completeLoop, ConditionRefused, GENERATED_MANIFEST_VERSION } from './runtimeManifest';
export { loadConditionParser } from './runtime/conditionSeal';
export type { UserTableFacts, PlannedLoop, PlannedStep, GeneratedManifest, CompletionInputs } from './runtimeManifest';
