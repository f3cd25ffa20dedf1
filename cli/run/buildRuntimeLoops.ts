/**
 * From the statically read config to what the engine runs: each loop's ManifestLoop (checkConfig's
 * zod-parsed value) + the project facts of loops.json → toPlannedLoop → completeLoop with the template
 * files, the sender and the unsubscribe URL. The same steps as the generated skene/runner.ts, minus
 * importing the config (the CLI never executes the user's TypeScript).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { emailTemplateFiles } from '../../sdk/emailTemplates';
import { GENERATED_MANIFEST_FILE } from '../../sdk/generated';
import type { ManifestLoop } from '../../sdk/manifest';
import { completeLoop, toPlannedLoop, type UserTableFacts } from '../../sdk/runtimeManifest';
import type { LoopManifest } from '../../sdk/runtime';
import { CommandProblem } from './commandIo';
import { CONFIG_FILE, type LoopProject } from './readLoopProject';

export interface CompletionSettings {
  /** Sender for steps that name none (DEFAULT_FROM_EMAIL, else the Django setting). */
  defaultFrom: string | null;
  unsubscribeUrl: string;
}

/** The parsed loops, or a problem (exit 1) naming what keeps them from being read without running the file. */
export function staticLoops(loopProject: LoopProject): ManifestLoop[] {
  if (!loopProject.loops.length) throw new CommandProblem(`${CONFIG_FILE} defines no loop.`, 1);
  return loopProject.loops.map((parsed) => {
    if (!parsed.manifest) {
      throw new CommandProblem(`loop ${parsed.id ?? `#${parsed.index + 1}`} in ${CONFIG_FILE} uses values computed when the file runs; skene run reads the config without executing it, so write them as literals.`, 1);
    }
    return parsed.manifest;
  });
}

export function projectFacts(loopProject: LoopProject): UserTableFacts {
  if (!loopProject.generated) throw new CommandProblem(`${GENERATED_MANIFEST_FILE} is missing or unreadable: it holds the user table facts Initialize found. Run \`npx skene-django init\`.`, 1);
  return loopProject.generated.project;
}

function readTemplate(root: string, facts: UserTableFacts, name: string, kind: 'html' | 'text'): string {
  const relative = path.join(facts.templateDir, emailTemplateFiles(name)[kind]);
  const file = path.join(root, relative);
  if (!existsSync(file)) throw new CommandProblem(`email template ${relative} is missing (loop step template '${name}'). Run \`npx skene-django init\` to create it, or fix the template name.`, 1);
  return readFileSync(file, 'utf8');
}

/** toPlannedLoop refuses a loop it cannot run as written (e.g. a Stripe audience loops.json lacks): say so, exit 1. */
function plannedLoop(loop: Parameters<typeof toPlannedLoop>[0], facts: UserTableFacts): ReturnType<typeof toPlannedLoop> {
  try {
    return toPlannedLoop(loop, facts);
  } catch (error) {
    throw new CommandProblem(`loop ${loop.id}: ${error instanceof Error ? error.message : String(error)}`, 1);
  }
}

export function buildRuntimeLoops(loopProject: LoopProject, settings: CompletionSettings): LoopManifest[] {
  const facts = projectFacts(loopProject);
  return staticLoops(loopProject).map((loop) => {
    const planned = plannedLoop(loop, facts);
    if (planned.steps.some((step) => !step.from) && !settings.defaultFrom) {
      throw new CommandProblem(`loop ${loop.id} has a step without \`from\` and no default sender: set DEFAULT_FROM_EMAIL (or the Django setting), or add \`from\` to the email action.`, 2);
    }
    return completeLoop(planned, {
      templates: planned.steps.map((step) => ({ html: readTemplate(loopProject.root, facts, step.template, 'html'), text: readTemplate(loopProject.root, facts, step.template, 'text') })),
      defaultFrom: settings.defaultFrom ?? '',
      unsubscribeUrl: settings.unsubscribeUrl,
    });
  });
}
