/**
 * The email preview of one loop step for the editor: the loop as `skene run` would complete it (unsaved template
 * text included), for a sample user from the user model or a given user row, with the inlined variant and the
 * steps one can switch to. Plain data in and out; the handler finds the config, the facts and the user.
 */
import type { ManifestLoop } from '../../../sdk/manifest';
import type { LoopManifest } from '../../../sdk/runtime/manifest';
import type { UserTableFacts } from '../../../sdk/runtimeManifest';
import { previewEmail, type EmailPreview } from './emailPreview';
import { inlineCss } from './mailWarnings';
import { previewLoop } from './previewLoop';

export const PLACEHOLDER_SECRET = 'skene-preview-secret';
export const PLACEHOLDER_UNSUBSCRIBE_URL = 'https://example.invalid/skene/unsubscribe/';

export interface StepChoice {
  loopId: string;
  step: number;
  template: string;
}

export interface PreviewView extends EmailPreview {
  inlinedHtml: string;
  choices: StepChoice[];
  user: { kind: 'sample' | 'real'; id: string };
  /** Absolute paths of the step's template files (the panel re-renders when they change). */
  files: { html: string; text: string };
  notes: string[];
}

export interface PreviewTarget {
  templateName?: string;
  loopId?: string;
  step?: number;
}

export function stepChoices(loops: ManifestLoop[]): StepChoice[] {
  return loops.flatMap((loop) => loop.steps.map((step) => ({ loopId: loop.id, step: step.index, template: step.template })));
}

/** The step to show: the first that uses the template, else the loop/step asked for, else the first step. */
export function pickStep(choices: StepChoice[], target: PreviewTarget): StepChoice | string {
  if (target.templateName !== undefined) return choices.find((c) => c.template === target.templateName) ?? `no loop step in skene.config.ts uses the template '${target.templateName}'`;
  const found = choices.find((c) => (target.loopId === undefined || c.loopId === target.loopId) && c.step === (target.step ?? 0));
  return found ?? `no step ${(target.step ?? 0) + 1} in loop ${target.loopId ?? '(first)'}`;
}

export type UserChoice = { kind: 'sample' | 'real'; row: Record<string, unknown> };

export interface BuildPreviewInput {
  root: string;
  loops: ManifestLoop[];
  facts: UserTableFacts;
  target: PreviewTarget;
  /** The user to render for, read with the completed loop (its user table and columns); a string is a problem. */
  user: (loop: LoopManifest) => Promise<UserChoice | string>;
  unsaved: Record<string, string>;
  env: { defaultFrom: string | null; unsubscribeUrl: string | undefined; secret: string | undefined };
}

export interface BuiltPreview {
  view: PreviewView;
  /** What a test send renders again: the completed loop, the user row and the signing secret. */
  loop: LoopManifest;
  user: Record<string, unknown>;
  secret: string;
}

export async function buildPreview(input: BuildPreviewInput): Promise<BuiltPreview | string> {
  const choices = stepChoices(input.loops);
  const choice = pickStep(choices, input.target);
  if (typeof choice === 'string') return choice;
  const config = input.loops.find((l) => l.id === choice.loopId)!;
  const notes: string[] = [];
  if (!input.env.secret) notes.push('SKENE_SECRET is not set: the unsubscribe link is signed with a placeholder secret.');
  if (!input.env.unsubscribeUrl) notes.push(`SKENE_UNSUBSCRIBE_URL is not set: the unsubscribe link uses ${PLACEHOLDER_UNSUBSCRIBE_URL}.`);
  const built = previewLoop({ root: input.root, loop: config, facts: input.facts, unsaved: input.unsaved, defaultFrom: input.env.defaultFrom, unsubscribeUrl: input.env.unsubscribeUrl || PLACEHOLDER_UNSUBSCRIBE_URL });
  const user = await input.user(built.loop);
  if (typeof user === 'string') return user;
  const secret = input.env.secret || PLACEHOLDER_SECRET;
  const email = previewEmail({ loop: built.loop, step: choice.step, user: user.row, secret });
  const view = { ...email, inlinedHtml: inlineCss(email.html), choices, user: { kind: user.kind, id: email.userId }, files: built.files[choice.step]!, notes: [...notes, ...built.notes] };
  return { view, loop: built.loop, user: user.row, secret };
}
