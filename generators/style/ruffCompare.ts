/**
 * Ruff (its WASM build: no native code, no Python needed) run with the project's own settings on each file
 * Initialize edits, before and after the edit. A finding the edit introduces (a long line, an import in the
 * wrong isort section, a redefined import) is reported; findings the file already had are not Skene's to fix.
 */
import type { ProjectFormatter } from './projectFormatter';
import type { ProjectLint } from './projectLint';

export interface LintFinding {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
}

interface RuffDiagnostic {
  code: string | null;
  message: string;
  start_location: { row: number; column: number };
}

type RuffModule = typeof import('@astral-sh/ruff-wasm-nodejs');
let ruff: Promise<RuffModule> | null = null;

/**
 * Loaded on first use: only Initialize needs it (10 MB of WASM). The package is CommonJS: imported from the CLI's ES
 * module bundle its exports arrive under `default`, imported from CommonJS (the server, tsx) they arrive flat.
 */
function loadRuff(): Promise<RuffModule> {
  ruff ??= import('@astral-sh/ruff-wasm-nodejs').then((loaded) =>
    'Workspace' in loaded ? loaded : (loaded as unknown as { default: RuffModule }).default,
  );
  return ruff;
}

export function ruffOptions(lint: ProjectLint, firstParty: string[]): Record<string, unknown> {
  const select = ['E4', 'E7', 'E9', 'F', ...(lint.lineLength ? ['E501'] : []), ...(lint.isort ? ['I001'] : [])];
  return {
    // Ruff's maximum; E501 is only selected when the project sets a limit.
    'line-length': lint.lineLength ?? 320,
    lint: { select, isort: { 'known-first-party': [...new Set([...firstParty, ...lint.knownFirstParty])] } },
  };
}

/** One finding's identity across the edit: code and message, line numbers inside the message left out. */
function key(d: RuffDiagnostic): string {
  return `${d.code ?? ''} ${d.message.replace(/\d+/g, '#')}`;
}

export async function newLintFindings(files: Array<{ path: string; before: string; after: string }>, lint: ProjectLint, firstParty: string[]): Promise<LintFinding[]> {
  const python = files.filter((f) => f.path.endsWith('.py') && f.before !== f.after);
  if (!python.length) return [];
  const module = await loadRuff();
  const workspace = new module.Workspace(ruffOptions(lint, firstParty), module.PositionEncoding.Utf16);
  try {
    const found: LintFinding[] = [];
    for (const file of python) {
      const before = workspace.check(file.before) as RuffDiagnostic[];
      const counts = new Map<string, number>();
      for (const d of before) counts.set(key(d), (counts.get(key(d)) ?? 0) + 1);
      for (const d of workspace.check(file.after) as RuffDiagnostic[]) {
        const left = counts.get(key(d)) ?? 0;
        if (left > 0) counts.set(key(d), left - 1);
        else found.push({ file: file.path, line: d.start_location.row, column: d.start_location.column, code: d.code ?? 'syntax', message: d.message });
      }
    }
    return found;
  } finally {
    workspace.free();
  }
}

/**
 * The text as the project's formatter writes it (Ruff's formatter, which formats as Black does, with the
 * project's line length and quote style). Unchanged when the text does not parse (nothing to format safely).
 */
export async function formatPython(text: string, formatter: ProjectFormatter): Promise<string> {
  const module = await loadRuff();
  const workspace = new module.Workspace({ 'line-length': formatter.lineLength, format: { 'quote-style': formatter.quoteStyle } }, module.PositionEncoding.Utf16);
  try {
    return workspace.format(text);
  } catch {
    return text;
  } finally {
    workspace.free();
  }
}
