import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { ProjectModel } from '../core/django/projectModel';
import type { ProjectState } from '../core/workspace/projectState';
import { DIAGNOSTIC_SOURCE } from '../protocol';
import { isPythonUri, uriToPath, type ServerContext } from './context';
import { guardNotification } from './guard';

/** The analyzer's note on a file that does not parse (ProjectFiles.problems). */
const SYNTAX_NOTE = /^syntax error \(lines [\d, ]+\); (.*)$/;

export interface PythonFileDiagnostic {
  file: string;
  line: number;
  message: string;
  /** The config check's code for the same fact (docs/diagnostics.md has one entry per code). */
  code: 'project-stale-reading';
}

/**
 * What the analyzer could not read in the project's Python files, said on the files themselves: a file that no
 * longer parses is read from its last good reading (the user model does not silently switch), one that never
 * parsed is read around the error. One entry per file, at its first syntax error.
 */
export function pythonFileDiagnostics(model: ProjectModel | null): PythonFileDiagnostic[] {
  const out: PythonFileDiagnostic[] = [];
  for (const fact of model?.unresolved ?? []) {
    const note = SYNTAX_NOTE.exec(fact.message);
    if (!note || !fact.file.endsWith('.py')) continue;
    const stale = note[1]?.startsWith('Skene keeps the last good reading') ?? false;
    out.push({
      file: fact.file,
      line: fact.line,
      code: 'project-stale-reading',
      message: stale
        ? `Syntax error at line ${fact.line}: Skene keeps the last good reading of this file (its settings and models stay as they were until it parses again).`
        : `Syntax error at line ${fact.line}: Skene read this file around the error; its settings and models may be incomplete.`,
    });
  }
  return out;
}

/**
 * Pushes those diagnostics (publishDiagnostics: Python files are not this server's documents to pull) each
 * time a project changes, and when a Python file is opened; clears them once the file parses again.
 */
export function registerPythonDiagnostics(ctx: ServerContext): void {
  const shown = new Map<ProjectState, Set<string>>();
  const publish = (state: ProjectState): void => {
    const next = new Map<string, Diagnostic[]>();
    for (const found of pythonFileDiagnostics(state.model)) {
      const uri = pathToFileURL(path.resolve(state.root, found.file)).href;
      const line = Math.max(0, found.line - 1);
      const length = ctx.documents.get(uri)?.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '').length;
      const diagnostic: Diagnostic = {
        range: { start: { line, character: 0 }, end: { line, character: Math.max(1, length ?? 1) } },
        severity: DiagnosticSeverity.Warning,
        code: found.code,
        source: DIAGNOSTIC_SOURCE,
        message: found.message,
      };
      next.set(uri, [...(next.get(uri) ?? []), diagnostic]);
    }
    for (const uri of shown.get(state) ?? []) if (!next.has(uri)) void ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
    for (const [uri, diagnostics] of next) void ctx.connection.sendDiagnostics({ uri, diagnostics });
    shown.set(state, new Set(next.keys()));
  };
  ctx.projects.onDidChange(publish);
  ctx.documents.onDidOpen(guardNotification(ctx, async (event) => {
    const file = isPythonUri(event.document.uri) ? uriToPath(event.document.uri) : null;
    const state = file ? ctx.projects.find(file) : undefined;
    if (!state) return;
    await state.ready;
    publish(state);
  }));
}
