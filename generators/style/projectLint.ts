/**
 * The project's own lint settings, as Ruff options: the line length (Ruff, Black, flake8 — pyproject.toml,
 * ruff.toml, setup.cfg, tox.ini, .flake8) and whether imports are sorted (Ruff's I rules, isort's own
 * config), with the first-party packages isort needs to put an import in the right section. Read with a
 * few patterns, not a TOML/INI parser: only these keys matter, and a value we cannot read means "not set".
 */
import type { ReadFile } from '../types';

/** Black's and Ruff's default line length: what Skene's edits fit when the project configures none. */
export const DEFAULT_LINE_LENGTH = 88;

export interface ProjectLint {
  /** null: the project sets no limit, so line length is not checked. */
  lineLength: number | null;
  /** The project sorts its imports (Ruff I rules, or an isort configuration). */
  isort: boolean;
  knownFirstParty: string[];
  /** Where the settings came from, for the plan's notes. */
  source: string | null;
}

/** The body of a `[section]` of a TOML or INI text (up to the next section header). */
export function section(text: string, name: string): string | null {
  const escaped = name.replace(/[.[\]]/g, (c) => `\\${c}`);
  const match = new RegExp(`^\\[${escaped}\\][^\\S\\n]*\\r?\\n([\\s\\S]*?)(?=^\\[|(?![\\s\\S]))`, 'm').exec(text);
  return match ? match[1] ?? '' : null;
}

function intKey(body: string | null, keys: string[]): number | null {
  if (body === null) return null;
  for (const key of keys) {
    const match = new RegExp(`^\\s*${key}\\s*[=:]\\s*(\\d+)`, 'm').exec(body);
    if (match) return Number(match[1]);
  }
  return null;
}

function listKey(body: string | null, key: string): string[] {
  const match = body === null ? null : new RegExp(`^\\s*${key}\\s*[=:]\\s*\\[?([^\\]\\n]*)`, 'm').exec(body);
  return match ? [...(match[1] ?? '').matchAll(/["']?([A-Za-z_][\w.]*)["']?/g)].map((m) => m[1] ?? '').filter(Boolean) : [];
}

const CONFIG_FILES = ['pyproject.toml', 'ruff.toml', '.ruff.toml', 'setup.cfg', 'tox.ini', '.flake8', '.isort.cfg'];

/**
 * The folder whose config files apply: the project root, else the nearest of two parents holding one (a
 * repository whose Django project lives in `backend/` or `src/` keeps its lint config at the top, where Ruff
 * and flake8 find it too). Only read, never written.
 */
export function configDir(readFile: ReadFile): string {
  for (const prefix of ['', '../', '../../']) if (CONFIG_FILES.some((f) => readFile(`${prefix}${f}`) !== null)) return prefix;
  return '';
}

export function readProjectLint(readFile: ReadFile): ProjectLint {
  const dir = configDir(readFile);
  const read = (name: string) => readFile(`${dir}${name}`);
  const pyproject = read('pyproject.toml') ?? '';
  const ruffToml = read('ruff.toml') ?? read('.ruff.toml');
  const setupCfg = read('setup.cfg') ?? '';
  const toxIni = read('tox.ini') ?? '';
  const flake8 = read('.flake8') ?? '';
  const ruffBody = ruffToml ?? section(pyproject, 'tool.ruff');
  const ruffLint = ruffToml !== null ? section(ruffToml, 'lint') ?? ruffToml : section(pyproject, 'tool.ruff.lint') ?? ruffBody;
  const candidates: Array<[number | null, string]> = [
    [intKey(ruffToml !== null ? ruffToml.split(/^\[/m)[0] ?? '' : ruffBody, ['line-length']), ruffToml !== null ? 'ruff.toml' : 'pyproject.toml [tool.ruff]'],
    [intKey(section(pyproject, 'tool.black'), ['line-length', 'line_length']), 'pyproject.toml [tool.black]'],
    [intKey(section(flake8, 'flake8'), ['max-line-length', 'max_line_length']), '.flake8'],
    [intKey(section(setupCfg, 'flake8'), ['max-line-length', 'max_line_length']), 'setup.cfg [flake8]'],
    [intKey(section(toxIni, 'flake8'), ['max-line-length', 'max_line_length']), 'tox.ini [flake8]'],
    [intKey(section(pyproject, 'tool.isort'), ['line_length', 'line-length']), 'pyproject.toml [tool.isort]'],
  ];
  const found = candidates.find(([value]) => value !== null);
  const select = ruffLint ? /^\s*(?:extend-)?select\s*=\s*\[([^\]]*)\]/m.exec(ruffLint)?.[1] ?? '' : '';
  const isortSections = [section(pyproject, 'tool.isort'), section(setupCfg, 'isort'), section(toxIni, 'isort'), read('.isort.cfg')];
  const ruffIsort = ruffToml !== null ? section(ruffToml, 'lint.isort') ?? section(ruffToml, 'isort') : section(pyproject, 'tool.ruff.lint.isort') ?? section(pyproject, 'tool.ruff.isort');
  const isort = /["']I["']|["']I0/.test(select) || ruffIsort !== null || isortSections.some((s) => s !== null);
  const knownFirstParty = [...listKey(ruffIsort, 'known-first-party'), ...isortSections.flatMap((s) => listKey(s, 'known_first_party'))];
  return { lineLength: found?.[0] ?? null, isort, knownFirstParty, source: found ? `${dir}${found[1]}` : null };
}
