/**
 * Parses skene.config.ts with the TypeScript compiler's parser alone: no ts-morph Project, no Program, no
 * type checking, nothing executed. A SourceFile per text version is all a read needs, and importing only
 * `typescript` keeps ts-morph (and its own copy of the compiler) out of `skene check` and `skene run`, which
 * matters for their cold start (bench/cliStart.ts). The generators still edit the file with ts-morph.
 */
import ts from 'typescript';

const CONFIG_PATH = '/skene.config.ts';

/** Parses one version of the config text (parent pointers set, so nodes can find their source file). */
export function parseConfigText(text: string): ts.SourceFile {
  return ts.createSourceFile(CONFIG_PATH, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

export interface SyntaxProblem {
  start: number;
  end: number;
  message: string;
}

/** The parser's own diagnostics (no type checking, no program): what a half-typed file gets. */
export function syntaxProblems(file: ts.SourceFile): SyntaxProblem[] {
  // parseDiagnostics is how TypeScript keeps parse errors on a SourceFile; it is cheap (already computed)
  // where program.getSyntacticDiagnostics would build a Program per keystroke.
  const diagnostics = (file as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return diagnostics.map((d) => ({
    start: d.start,
    end: d.start + Math.max(d.length, 0),
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}
