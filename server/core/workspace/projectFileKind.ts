/**
 * Which project files matter to the language server, by path relative to the project root:
 * Python sources feed the ProjectModel, email templates and .env files feed the config checker's options,
 * skene.config.ts feeds the code lenses, the generated loops.json the manifest-stale check, folders may add or remove any of those. Everything else is ignored.
 */
import { EMAIL_TEMPLATE_FOLDER } from '../../../sdk/emailTemplates';
import { GENERATED_MANIFEST_FILE } from '../../../sdk/generated';

/** The loop config's file name (the server checks it while it is typed). */
export const CONFIG_FILE_NAME = 'skene.config.ts';

export type ProjectFileKind = 'python' | 'template' | 'env' | 'config' | 'manifest' | 'folder' | 'other';

const SKIPPED_FOLDERS = new Set(['node_modules', '__pycache__', '.git', 'dist', 'build']);
const ENV_FILE = /^\.env(\.[A-Za-z0-9_-]+)?$/;

export function classifyProjectFile(relative: string): ProjectFileKind {
  const rel = relative.split('\\').join('/');
  if (rel.startsWith('../')) return 'other';
  const base = rel.slice(rel.lastIndexOf('/') + 1);
  // Dependency declarations as the analyzer lists them (scanProject): `dev-requirements.txt`, `requirements/base.txt`.
  const inRequirementsFolder = rel.includes('requirements') && /(^|\/)[^/]*requirements[^/]*\/[^/]+\.(txt|in)$/.test(rel);
  if (rel.endsWith('.py') || inRequirementsFolder || /^([\w.-]*requirements.*\.(txt|in)|pyproject\.toml|setup\.cfg|pytest\.ini)$/.test(base)) return 'python';
  if (base === CONFIG_FILE_NAME) return 'config';
  // The generated loops.json: the manifest-stale check compares the config with it.
  if (rel === GENERATED_MANIFEST_FILE) return 'manifest';
  if (ENV_FILE.test(base) && !rel.includes('/')) return 'env';
  if (rel.includes(`${EMAIL_TEMPLATE_FOLDER}/`) || rel.endsWith(`/${EMAIL_TEMPLATE_FOLDER}`)) return 'template';
  // Watchers report a created or deleted folder once, not its files: re-walk the tree for it.
  if (!base.includes('.') && !SKIPPED_FOLDERS.has(base)) return 'folder';
  return 'other';
}
