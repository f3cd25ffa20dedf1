/** The files of an email template name in the project's template directories (the same folders the checker lists). */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { emailTemplateFiles } from '../../../sdk/emailTemplates';
import type { ProjectModel } from '../django/projectModel';

const TEMPLATE_NAME = /^[A-Za-z0-9_-]+$/;

export function templateDirsOf(project: ProjectModel): string[] {
  return project.settings.templateDirs?.length ? project.settings.templateDirs : ['templates'];
}

/** Existing `<dir>/skene/emails/<name>.html` and `.txt`, relative to the root; [] for a name that is not a plain word. */
export function existingTemplateFiles(project: ProjectModel, name: string): string[] {
  if (!TEMPLATE_NAME.test(name)) return [];
  const files = emailTemplateFiles(name);
  return templateDirsOf(project).flatMap((dir) => [files.html, files.text].map((file) => path.posix.join(dir, file))).filter((file) => existsSync(path.join(project.root, file)));
}
