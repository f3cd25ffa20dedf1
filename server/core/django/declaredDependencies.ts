import type { ProjectFiles } from './projectFiles';
import { normalise, readRequirements } from './readRequirements';

export interface DeclaredDependency {
  name: string;
  file: string;
  line: number;
}

/** Files whose quoted strings are requirement specifiers: `install_requires=["celery>=5"]`, PEP 621 arrays. */
const QUOTED_SPEC_FILE = /(^|\/)(setup\.py|pyproject\.toml)$/;
/** setup.cfg: `install_requires =` then one requirement per indented line. */
const SETUP_CFG = /(^|\/)setup\.cfg$/;
const QUOTED_SPEC = /["']([A-Za-z0-9][A-Za-z0-9_.-]*)\s*(?:\[[^\]"']*\])?\s*(?:(?:==|>=|<=|~=|!=|>|<)[^"']*)?(?:;[^"']*)?["']/g;
const NAME_LINE = /^\s+([A-Za-z0-9][A-Za-z0-9_.-]*)\s*(?:\[[^\]]*\])?\s*(?:(?:==|>=|<=|~=|!=|>|<)\s*[^\s;#]*)?\s*(?:;.*)?$/;

/**
 * Every package the project declares it depends on, by normalised name (PEP 503) with the first place it is
 * declared: requirements*.txt / .in, pyproject.toml (PEP 621 arrays, Poetry tables), Pipfile, setup.cfg
 * (install_requires / extras), setup.py (quoted specifiers). Used for the job system and the PostgreSQL driver.
 */
export function declaredDependencies(files: ProjectFiles): Map<string, DeclaredDependency> {
  const out = new Map<string, DeclaredDependency>();
  const add = (name: string, file: string, line: number) => {
    const key = normalise(name);
    if (!out.has(key)) out.set(key, { name: key, file, line });
  };
  for (const req of readRequirements(files).values()) add(req.name, req.file, req.line);
  for (const rel of files.allFiles()) {
    const quoted = QUOTED_SPEC_FILE.test(rel);
    const cfg = SETUP_CFG.test(rel);
    if (!quoted && !cfg) continue;
    const text = files.text(rel);
    if (text === null) continue;
    const lines = text.split('\n');
    if (quoted) {
      lines.forEach((raw, i) => {
        if (/^\s*#/.test(raw)) return;
        for (const m of raw.matchAll(QUOTED_SPEC)) if (m[1] && looksLikeRequirement(m[0], raw)) add(m[1], rel, i + 1);
      });
    } else readSetupCfg(lines, (name, line) => add(name, rel, line));
  }
  return out;
}

/** A quoted string in a dependency list, not e.g. `name="myproject"` or `version="1.0"`. */
function looksLikeRequirement(quoted: string, line: string): boolean {
  if (/^\s*(name|version|description|author|author_email|url|license|python_requires|packages|long_description\w*)\s*[=:]/.test(line)) return false;
  return !/\s/.test(quoted.slice(1, -1).replace(/\s*(==|>=|<=|~=|!=|>|<|;).*$/, ''));
}

/** `[options] install_requires =` / `tests_require =` and every key of `[options.extras_require]`: one name per indented line. */
function readSetupCfg(lines: string[], add: (name: string, line: number) => void): void {
  let section = '';
  let inList = false;
  lines.forEach((raw, i) => {
    const header = /^\[([^\]]+)\]/.exec(raw);
    if (header) {
      section = header[1] ?? '';
      inList = false;
      return;
    }
    const key = /^([\w-]+)\s*=\s*(.*)$/.exec(raw);
    if (key) {
      inList = section === 'options.extras_require' || (section === 'options' && /^(install_requires|tests_require)$/.test(key[1] ?? ''));
      if (inList && key[2]?.trim()) {
        const first = NAME_LINE.exec(` ${key[2].trim()}`);
        if (first?.[1]) add(first[1], i + 1);
      }
      return;
    }
    const m = inList ? NAME_LINE.exec(raw) : null;
    if (m?.[1]) add(m[1], i + 1);
  });
}

/**
 * The PostgreSQL driver: psycopg (3) wins when both are declared, as Django 4.2+ imports it first.
 * psycopg2-binary / psycopg-binary / psycopg[binary] count as their driver.
 */
export function postgresDriver(deps: Map<string, DeclaredDependency>): 'psycopg2' | 'psycopg' | null {
  if (deps.has('psycopg') || deps.has('psycopg-binary') || deps.has('psycopg-c')) return 'psycopg';
  if (deps.has('psycopg2') || deps.has('psycopg2-binary') || deps.has('psycopg2cffi')) return 'psycopg2';
  return null;
}
