/**
 * The entry of the built package Initialize writes into a project (skene/sdk/index.js + index.d.ts): what
 * skene.config.ts imports and what the generated runner runs, as one module. Three runtime type names are
 * also config type names (a loop's manifest and step, the provider's name); the runtime's are exported as
 * Runtime*, and the runner's provider object type as EmailSender.
 */
export * from './index';
export type { LoopManifest, ManifestStep, EmailProvider } from './index';
export * from './runtime/index';
export type { LoopManifest as RuntimeLoopManifest, ManifestStep as RuntimeManifestStep, EmailProvider as EmailSender } from './runtime/index';
