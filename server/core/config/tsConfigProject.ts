/**
 * The one in-memory ts-morph Project behind every read of skene.config.ts. It is created once and kept
 * alive: per text version only the source file is replaced, which is what keeps a keystroke cheap.
 * Nothing here type-checks or executes the file; we only use the parser.
 */
import { Project, ts, type SourceFile } from 'ts-morph';

const CONFIG_PATH = '/skene.config.ts';
let project: Project | null = null;

function getProject(): Project {
  project ??= new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, noLib: true, noResolve: true },
  });
  return project;
}

/** Parses one version of the config text, replacing the previous version's source file. */
export function parseConfigText(text: string): SourceFile {
  return getProject().createSourceFile(CONFIG_PATH, text, { overwrite: true, scriptKind: ts.ScriptKind.TS });
}

export interface SyntaxProblem {
  start: number;
  end: number;
  message: string;
}

/** The parser's own diagnostics (no type checking, no program): what a half-typed file gets. */
export function syntaxProblems(file: SourceFile): SyntaxProblem[] {
  // parseDiagnostics is how TypeScript keeps parse errors on a SourceFile; it is cheap (already computed)
  // where program.getSyntacticDiagnostics would build a Program per keystroke.
  const diagnostics = (file.compilerNode as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  return diagnostics.map((d) => ({
    start: d.start,
    end: d.start + Math.max(d.length, 0),
    message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  }));
}
