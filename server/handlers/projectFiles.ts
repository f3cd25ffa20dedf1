import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Location } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ProjectModel } from '../core/django/projectModel';
import type { NavigationTarget, ProjectFiles } from '../core/editor/navigationTypes';
import { existingTemplateFiles } from '../core/editor/templateFiles';
import type { ServerContext } from './context';

/** Project files for the navigation features: an open editor's unsaved text first, else the disk; never outside the root. */
export function projectFiles(ctx: ServerContext, project: ProjectModel | null): ProjectFiles {
  return {
    templateFiles: (name) => (project ? existingTemplateFiles(project, name) : []),
    read: (relative) => {
      if (!project) return null;
      const file = path.resolve(project.root, relative);
      if (path.relative(project.root, file).startsWith('..')) return null;
      const open = ctx.documents.get(pathToFileURL(file).href);
      if (open) return open.getText();
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return null;
      }
    },
  };
}

/** A plain target -> an LSP location (config targets are in `document`). */
export function toLocation(target: NavigationTarget, root: string, document: TextDocument): Location {
  if (target.kind === 'config') return { uri: document.uri, range: { start: document.positionAt(target.start), end: document.positionAt(target.end) } };
  return {
    uri: pathToFileURL(path.join(root, target.file)).href,
    range: { start: { line: target.line - 1, character: target.character }, end: { line: target.endLine - 1, character: target.endCharacter } },
  };
}
