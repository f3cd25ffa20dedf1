/**
 * The files generators copy or render: ejs templates (templates/), the Python runtime
 * (templates/python/skene_runtime.py), the ledger DDL and the built sdk package (index.js, index.d.ts, built by
 * scripts/buildSdkPackage.mjs) that Initialize writes into a user's project. Read once per process; the planner receives them as data, which keeps it pure and testable.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface GeneratorAssets {
  /** Raw text of a template under templates/, e.g. "django/tasks.py.ejs". */
  template(name: string): string;
  pythonRuntime: string;
  ledgerSql: string;
  /** The built sdk package: one CommonJS module and its declarations. */
  sdkPackage: { indexJs: string; indexDts: string };
}

/** Beside the bundle (dist/<name>, copied by the build) or in the repository when running from source. */
function locate(name: string, ...fromSource: string[]): string {
  const repo = path.resolve(__dirname, '..');
  for (const candidate of [path.join(__dirname, name), path.join(repo, ...(fromSource.length ? fromSource : [name]))]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`Skene cannot find its ${name} beside ${__dirname}${fromSource.length ? ' (from a checkout: run `npm run build` first)' : ''}`);
}

let cached: GeneratorAssets | null = null;

export function loadAssets(): GeneratorAssets {
  if (cached) return cached;
  const templatesDir = locate('templates');
  const sdkPackageDir = locate('sdk-package', 'dist', 'sdk-package');
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
    ledgerSql: readFileSync(locate('ledger.sql', 'sdk', 'runtime', 'ledger.sql'), 'utf8'),
    sdkPackage: {
      indexJs: readFileSync(path.join(sdkPackageDir, 'index.js'), 'utf8'),
      indexDts: readFileSync(path.join(sdkPackageDir, 'index.d.ts'), 'utf8'),
    },
  };
  return cached;
}
