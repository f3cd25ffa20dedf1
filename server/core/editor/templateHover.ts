/**
 * The hover of an email action's `template:` value: the template's files and a link that opens the email preview
 * of that loop step (client command skene.previewEmail; VS Code runs it because the client trusts that one command).
 */
import type { StringNode } from '../config/valueTree';
import type { CursorHit, ConfigView } from './configCursor';
import { existingTemplateFiles } from './templateFiles';

export const PREVIEW_EMAIL_COMMAND = 'skene.previewEmail';

export function isTemplatePath(path: readonly (string | number)[]): boolean {
  return path.length === 4 && path[0] === 'steps' && typeof path[1] === 'number' && path[2] === 'action' && path[3] === 'template';
}

export function templateHoverMarkdown(view: ConfigView, hit: CursorHit, node: StringNode): string {
  const files = view.project ? existingTemplateFiles(view.project, node.value) : [];
  const where = files.length ? files.map((file) => `\`${file}\``).join(', ') : 'no template files found yet';
  const lines = [`**Email template** \`${node.value}\` — ${where}`];
  if (view.project && hit.loop.id !== null) {
    const args = [{ root: view.project.root, loopId: hit.loop.id, step: hit.path[1] }];
    lines.push('', `[Preview email](command:${PREVIEW_EMAIL_COMMAND}?${encodeURIComponent(JSON.stringify(args))}) — what the runtime would send, for a sample user`);
  }
  return lines.join('\n');
}
