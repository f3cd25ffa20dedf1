/**
 * The files generators copy or render: ejs templates (templates/), the Python runtime
 * (templates/python/skene_runtime.py), the ledger DDL and the sdk sources that are vendored into a user's
 * project. Read once per process; the planner receives them as data, which keeps it pure and testable.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export interface GeneratorAssets {
  /** Raw text of a template under templates/, e.g. "django/tasks.py.ejs". */
  template(name: string): string;
  pythonRuntime: string;
  ledgerSql: string;
  /** sdk sources to vendor, relative to sdk/ (e.g. "index.ts", "runtime/ledger.sql"). */
  sdkFiles: Array<{ path: string; contents: string }>;
}

/** Beside the bundle (dist/<name>, copied by the build) or in the repository when running from source. */
function locate(name: string): string {
  for (const candidate of [path.join(__dirname, name), path.resolve(__dirname, '..', name)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`Skene cannot find its ${name}/ folder beside ${__dirname}`);
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir).sort().flatMap((entry) => {
    const full = path.join(dir, entry);
    const rel = prefix ? `${prefix}/${entry}` : entry;
    if (statSync(full).isDirectory()) return entry === '__pycache__' ? [] : listFiles(full, rel);
    return /\.(ts|sql)$/.test(entry) ? [rel] : [];
  });
}

let cached: GeneratorAssets | null = null;

export function loadAssets(): GeneratorAssets {
  if (cached) return cached;
  const templatesDir = locate('templates');
  const sdkDir = locate('sdk');
  const templates = new Map<string, string>();
  cached = {
    template(name) {
      let text = templates.get(name);
      if (text === undefined) {
        text = readFileSync(path.join(templatesDir, name), 'utf8');
        templates.set(name, text);
      }
      return text;
    },
    pythonRuntime: readFileSync(path.join(templatesDir, 'python', 'skene_runtime.py'), 'utf8'),
    ledgerSql: readFileSync(path.join(sdkDir, 'runtime', 'ledger.sql'), 'utf8'),
    sdkFiles: listFiles(sdkDir).map((rel) => ({ path: rel, contents: readFileSync(path.join(sdkDir, rel), 'utf8') })),
  };
  return cached;
}
