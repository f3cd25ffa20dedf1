/**
 * The runtime loop the preview renders: the config's loop (read statically), the facts `skene init` wrote
 * (loops.json), and the template files — the editor's unsaved text when there is some — completed exactly as
 * `skene run` completes it (toPlannedLoop + completeLoop). A missing template renders as empty, with a note.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { emailTemplateFiles } from '../../../sdk/emailTemplates';
import type { ManifestLoop } from '../../../sdk/manifest';
import type { LoopManifest } from '../../../sdk/runtime/manifest';
import { completeLoop, toPlannedLoop, type UserTableFacts } from '../../../sdk/runtimeManifest';

export interface PreviewLoopInput {
  root: string;
  loop: ManifestLoop;
  facts: UserTableFacts;
  /** Absolute path -> unsaved editor text. */
  unsaved: Record<string, string>;
  defaultFrom: string | null;
  unsubscribeUrl: string;
}

export interface PreviewLoop {
  loop: LoopManifest;
  /** Absolute paths of each step's html and text templates. */
  files: Array<{ html: string; text: string }>;
  notes: string[];
}

export function templatePaths(root: string, facts: UserTableFacts, name: string): { html: string; text: string } {
  const files = emailTemplateFiles(name);
  return { html: path.join(root, facts.templateDir, files.html), text: path.join(root, facts.templateDir, files.text) };
}

function read(file: string, unsaved: Record<string, string>, notes: string[]): string {
  if (file in unsaved) return unsaved[file]!;
  if (existsSync(file)) return readFileSync(file, 'utf8');
  notes.push(`${file} does not exist: rendered as empty`);
  return '';
}

export function previewLoop(input: PreviewLoopInput): PreviewLoop {
  const notes: string[] = [];
  const planned = toPlannedLoop(input.loop, input.facts);
  const files = planned.steps.map((step) => templatePaths(input.root, input.facts, step.template));
  const templates = files.map((file) => ({ html: read(file.html, input.unsaved, notes), text: read(file.text, input.unsaved, notes) }));
  if (planned.steps.some((step) => !step.from) && !input.defaultFrom) notes.push('no sender: the step has no `from` and the project sets no DEFAULT_FROM_EMAIL');
  return { loop: completeLoop(planned, { templates, defaultFrom: input.defaultFrom ?? '', unsubscribeUrl: input.unsubscribeUrl }), files, notes };
}
