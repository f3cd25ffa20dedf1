import type { ProjectFiles } from './projectFiles';

export interface Requirement {
  name: string;
  /** Exact version when pinned with `==` (or a bare Poetry version), else null. */
  version: string | null;
  spec: string;
  file: string;
  line: number;
}

/** `requirements.txt`, `dev-requirements.in`, any .txt/.in in a folder named for them (`requirements/`, django-cms's `test_requirements/`). */
const REQUIREMENT_FILE = /(^|\/)([^/]*requirements[^/]*\.(txt|in)|[^/]*requirements[^/]*\/[^/]+\.(txt|in)|pyproject\.toml|Pipfile)$/;
const LINE = /^\s*["']?([A-Za-z0-9][A-Za-z0-9_.-]*)\s*(?:\[[^\]]*\])?\s*(?:=\s*["'](?!=))?\s*((?:==|>=|<=|~=|!=|>|<|\^|~)?\s*[0-9][^\s;#,"']*)?/;

/** Package pins from requirements*.txt, pyproject.toml (PEP 621 or Poetry) and Pipfile; names normalised (PEP 503). */
export function readRequirements(files: ProjectFiles): Map<string, Requirement> {
  const out = new Map<string, Requirement>();
  // The substring test first: the pattern's `[^/]*requirements[^/]*` backtracks along every path of a big project.
  const candidates = files.allFiles().filter((f) => (f.includes('requirements') || f.endsWith('pyproject.toml') || f.endsWith('Pipfile')) && REQUIREMENT_FILE.test(f));
  for (const rel of candidates.sort()) {
    const text = files.text(rel);
    if (text === null) continue;
    text.split('\n').forEach((raw, i) => {
      const match = LINE.exec(raw.replace(/^\s*-\s*/, ''));
      if (!match?.[1]) return;
      const name = normalise(match[1]);
      const spec = (match[2] ?? '').replace(/\s+/g, '');
      const exact = /^==([^,]+)$/.exec(spec)?.[1] ?? (/^[0-9][\w.]*$/.test(spec) ? spec : null);
      if (!out.has(name)) out.set(name, { name, version: exact, spec, file: rel, line: i + 1 });
    });
  }
  return out;
}

export function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}
