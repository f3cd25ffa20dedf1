/**
 * The TypeScript runner: `skene/runner.ts`, the vendored `@skene/sdk` (copied into skene/sdk/, since no
 * registry package exists) and the package.json wiring, so `npm install` fetches only registry packages
 * (zod, pg, libpg-query, tsx) and links the vendored sdk with a `file:` dependency.
 */
import type { GeneratorAssets } from '../assets';
import { GENERATED_MANIFEST_FILE } from '../../sdk/generated';
import { tsString } from '../config/tsLiterals';
import { render } from '../render';
import type { GeneratedFile, GeneratorContext } from '../types';

export const SDK_DIR = 'skene/sdk';
const SDK_DEPENDENCIES = { 'libpg-query': '^18.1.5', nodemailer: '^10.6.1', pg: '^8.23.1', 'pgsql-deparser': '^18.3.8', zod: '^4.6.7' };
const DEV_DEPENDENCIES = { tsx: '^4.20.0', typescript: '^5.9.3', '@types/node': '^20.19.0', '@types/nodemailer': '^8.0.2', '@types/pg': '^8.15.0' };
const RUN_SCRIPT = 'tsx skene/runner.ts --once';

export function runnerFiles(ctx: GeneratorContext, assets: GeneratorAssets): GeneratedFile[] {
  const header = '// Vendored by Skene — `npx skene-django init` regenerates it; edits here are reported as conflicts.\n';
  const sdk = assets.sdkFiles.map((file): GeneratedFile => ({
    path: `${SDK_DIR}/${file.path}`,
    // ledger.sql is read byte for byte by the runtime: no header in it.
    contents: file.path.endsWith('.ts') ? header + file.contents : file.contents,
    ownership: 'owned',
    reason: 'Vendored @skene/sdk (schema, defineLoop, the TypeScript loop engine).',
  }));
  const sdkPackage = {
    name: '@skene/sdk',
    version: '0.1.0',
    private: true,
    description: 'Vendored by Skene — regenerate with `npx skene-django init`',
    main: 'index.ts',
    types: 'index.ts',
    exports: { '.': './index.ts', './runtime': './runtime/index.ts' },
    // `npx skene` resolves this local bin after `npm install` (no `skene` package exists on the registry).
    bin: { skene: 'bin/skene.js' },
    dependencies: SDK_DEPENDENCIES,
  };
  return [
    ...sdk,
    {
      path: `${SDK_DIR}/bin/skene.js`,
      contents: assets.template('node/skene-bin.js'),
      ownership: 'owned',
      reason: 'Lets `npx skene ...` run the CLI inside the installed Skene extension (VS Code, Cursor).',
    },
    { path: `${SDK_DIR}/package.json`, contents: `${JSON.stringify(sdkPackage, null, 2)}\n`, ownership: 'owned', reason: 'Makes skene/sdk installable as @skene/sdk.' },
    {
      path: 'skene/runner.ts',
      contents: render(assets, 'node/runner.ts.ejs', {
        manifestFile: tsString(GENERATED_MANIFEST_FILE),
        timeZone: tsString(ctx.project.settings.timeZone ?? 'UTC'),
        defaultFrom: tsString(ctx.project.email.defaultFromEmail ?? ''),
      }),
      ownership: 'owned',
      reason: 'Runs the loops of skene.config.ts once with the TypeScript engine (`npm run skene:run`).',
    },
  ];
}

/** package.json: created, or the existing one with the dependency and script added (its indentation kept). */
export function packageJson(ctx: GeneratorContext): GeneratedFile {
  const current = ctx.readFile('package.json');
  const reason = 'Installs the vendored @skene/sdk and tsx from the registry; `npm run skene:run` runs the loop once.';
  let data: Record<string, unknown> = { name: projectName(ctx), private: true };
  let indent: string | number = 2;
  if (current !== null) {
    try {
      data = JSON.parse(current) as Record<string, unknown>;
      indent = /^\{\r?\n([ \t]+)"/.exec(current)?.[1] ?? 2;
    } catch {
      ctx.notes.push({ severity: 'error', message: 'package.json is not valid JSON; fix it and re-run `skene init`.' });
      return { path: 'package.json', contents: current, ownership: 'edit', reason };
    }
  }
  const section = (key: string): Record<string, unknown> => {
    const value = data[key];
    const obj = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    data[key] = obj;
    return obj;
  };
  const deps = section('dependencies');
  deps['@skene/sdk'] ??= `file:${SDK_DIR}`;
  const devDeps = section('devDependencies');
  for (const [name, range] of Object.entries(DEV_DEPENDENCIES)) if (!deps[name]) devDeps[name] ??= range;
  section('scripts')['skene:run'] ??= RUN_SCRIPT;
  const contents = `${JSON.stringify(data, null, indent)}\n`;
  return { path: 'package.json', contents: current !== null && JSON.stringify(JSON.parse(current)) === JSON.stringify(data) ? current : contents, ownership: 'edit', reason };
}

function projectName(ctx: GeneratorContext): string {
  const base = ctx.project.root.split(/[\\/]/).pop() ?? 'django-project';
  return base.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'django-project';
}
