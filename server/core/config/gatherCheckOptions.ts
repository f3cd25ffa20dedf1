/**
 * Collects the file facts `checkConfig` cannot read itself (it is pure): which email templates exist in
 * the project's template directories, and which environment variable names .env files define.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { EMAIL_TEMPLATE_FOLDER } from '../../../sdk/emailTemplates';
import { GENERATED_MANIFEST_FILE } from '../../../sdk/generated';
import type { ProjectModel } from '../django/projectModel';
import type { CheckOptions } from './checkOptions';

const ENV_FILES = ['.env', '.env.local', '.env.example', '.env.sample'];

export function gatherCheckOptions(root: string, project: ProjectModel | null): CheckOptions {
  return { existingTemplates: project ? listEmailTemplates(root, project) : undefined, envNames: listEnvNames(root), generatedManifest: readManifest(root) };
}

function listEmailTemplates(root: string, project: ProjectModel): string[] {
  const dirs = project.settings.templateDirs?.length ? project.settings.templateDirs : ['templates'];
  const found: string[] = [];
  for (const dir of dirs) {
    const folder = path.join(root, dir, EMAIL_TEMPLATE_FOLDER);
    if (!existsSync(folder)) continue;
    for (const entry of readdirSync(folder)) found.push(`${EMAIL_TEMPLATE_FOLDER}/${entry}`);
  }
  return found;
}

function listEnvNames(root: string): string[] {
  const names = new Set<string>();
  for (const file of ENV_FILES) {
    const full = path.join(root, file);
    if (!existsSync(full)) continue;
    for (const match of readFileSync(full, 'utf8').matchAll(/^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)) {
      if (match[1]) names.add(match[1]);
    }
  }
  return [...names];
}

/** The Celery task's loop manifest, when `skene init` generated one. */
function readManifest(root: string): string | null {
  const file = path.join(root, GENERATED_MANIFEST_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}
