/**
 * Whether the project formats its Python with Ruff or Black, and how: read from `.pre-commit-config.yaml`
 * (`id: ruff-format`, `id: black`) and pyproject (`[tool.ruff.format]`, `[tool.black]`). Such a project's
 * pre-commit hook or CI reformats every Python file it is given, Skene's app among them; files that do not
 * already read as the formatter writes them are rewritten on the first commit, and every later Initialize then
 * finds its own files changed (conflicts). So Initialize writes them formatted (ruffCompare.formatPython).
 */
import type { ReadFile } from '../types';
import { configDir, DEFAULT_LINE_LENGTH, readProjectLint, section } from './projectLint';

export interface ProjectFormatter {
  tool: 'ruff' | 'black';
  lineLength: number;
  /** Ruff's `quote-style`; Black's `skip-string-normalization = true` is "preserve". */
  quoteStyle: 'double' | 'single' | 'preserve';
  /** Where it was found, for the plan. */
  source: string;
}

/** What Black (and ruff format) do with no configuration, at the project's line length when its linter sets one. */
export function blackDefaults(lineLength: number | null): ProjectFormatter {
  return { tool: 'black', lineLength: lineLength ?? DEFAULT_LINE_LENGTH, quoteStyle: 'double', source: '(no formatter configured)' };
}

export function readProjectFormatter(readFile: ReadFile): ProjectFormatter | null {
  const dir = configDir(readFile);
  const read = (name: string) => readFile(`${dir}${name}`);
  // At the repository's top, which may be above the Django project (`src/`, `backend/`).
  const preCommit = ['', '../', '../../'].map((up) => readFile(`${up}.pre-commit-config.yaml`)).find((text) => text !== null) ?? '';
  const pyproject = read('pyproject.toml') ?? '';
  const ruffToml = read('ruff.toml') ?? read('.ruff.toml');
  const ruffFormat = ruffToml !== null ? section(ruffToml, 'format') : section(pyproject, 'tool.ruff.format');
  const black = section(pyproject, 'tool.black');
  const hook = (id: string) => new RegExp(`^\\s*-?\\s*id:\\s*['"]?${id}['"]?\\s*$`, 'm').test(preCommit);
  const tool = hook('ruff-format') || hook('ruff_format') || ruffFormat !== null ? 'ruff' : hook('black') || black !== null ? 'black' : null;
  if (!tool) return null;
  const lineLength = readProjectLint(readFile).lineLength ?? DEFAULT_LINE_LENGTH;
  const quote = /^\s*quote-style\s*=\s*["'](double|single|preserve)["']/m.exec(ruffFormat ?? '')?.[1] as ProjectFormatter['quoteStyle'] | undefined;
  const skipNormalization = /^\s*skip[-_]string[-_]normalization\s*=\s*true/m.test(black ?? '');
  const quoteStyle = tool === 'ruff' ? quote ?? 'double' : skipNormalization ? 'preserve' : 'double';
  const source = ruffFormat !== null ? (ruffToml !== null ? 'ruff.toml [format]' : 'pyproject.toml [tool.ruff.format]') : black !== null ? 'pyproject.toml [tool.black]' : '.pre-commit-config.yaml';
  return { tool, lineLength, quoteStyle, source: `${dir}${source}` };
}
