/**
 * What loops.json carries for a condition: the statement PostgreSQL's parser read, printed back from its
 * parse tree (deparsed), and the sha256 of that text. Only a condition with no gate problem is sealed, so
 * comments, odd quoting (`x$a$`, E'', U&'', dollar quotes) and anything the checker and a runtime might
 * read differently never reach a runtime. The deparsed text is parsed again and must give the same tree.
 * Both runtimes refuse a condition whose text does not hash to the seal (verifySeal / the Python twin).
 */
import { loadModule, parseSync } from 'libpg-query';
import { deparseSync } from 'pgsql-deparser';
import { gateStatements, type GateProblem, type ParsedStatement } from './conditionGate';
import { sha256Hex } from './keys';

export interface SealedCondition {
  /** The deparsed SELECT, the exact text both runtimes run. */
  query: string;
  /** sha256 (hex) of `query` in UTF-8. */
  sha256: string;
}

export type SealResult = { ok: true; sealed: SealedCondition } | { ok: false; problems: GateProblem[] };

/** Loads the WASM parser (once per process); sealCondition needs it. */
export function loadConditionParser(): Promise<void> {
  return loadModule();
}

type Parsed = { ok: true; stmts: ParsedStatement[] } | { ok: false; problem: GateProblem };

export function parseCondition(query: string): Parsed {
  try {
    return { ok: true, stmts: (parseSync(query) as unknown as { stmts?: ParsedStatement[] }).stmts ?? [] };
  } catch (error) {
    return { ok: false, problem: { code: 'syntax', message: `the condition is not valid SQL: ${(error as Error).message}`, location: null } };
  }
}

/** The tree without source positions (they differ between the original and the deparsed text). */
function shape(value: unknown): string {
  return JSON.stringify(value, (key, inner: unknown) => (key === 'location' || key === 'stmt_location' || key === 'stmt_len' || key.endsWith('_start') || key.endsWith('_end') ? undefined : inner));
}

/** Every gate problem of a condition's text (syntax included); empty when it may run. */
export function conditionProblems(query: string): GateProblem[] {
  const parsed = parseCondition(query);
  return parsed.ok ? gateStatements(parsed.stmts) : [parsed.problem];
}

export function sealCondition(query: string): SealResult {
  const parsed = parseCondition(query);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const problems = gateStatements(parsed.stmts);
  if (problems.length) return { ok: false, problems };
  const text = deparseSync(parsed.stmts.map((s) => s.stmt) as never, { pretty: false });
  const again = parseCondition(text);
  if (!again.ok || gateStatements(again.stmts).length || shape(again.stmts) !== shape(parsed.stmts)) {
    return { ok: false, problems: [{ code: 'syntax', message: 'the condition could not be printed back to the same statement; simplify it', location: null }] };
  }
  return { ok: true, sealed: { query: text, sha256: sha256Hex(text) } };
}

/** null when `query` is the text that was sealed with `sha256`; else why the runtime refuses it. */
export function verifySeal(query: string, sha256: string | undefined): string | null {
  if (!sha256) return 'the condition has no sha256 seal (loops.json predates it or was edited): run `npx skene-django init` to regenerate it';
  if (sha256Hex(query) !== sha256) return 'the condition does not match its sha256 seal (loops.json was edited by hand): run `npx skene-django init` to regenerate it';
  return null;
}
