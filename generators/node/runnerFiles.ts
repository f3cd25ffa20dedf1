/**
 * The TypeScript runner, in its own folder with its own package.json so the project's package.json and
 * lockfiles are never touched (a pnpm workspace installs with --frozen-lockfile as before):
 * - skene/sdk/: @skene/sdk as one built module and its declarations. skene.config.ts and the runner import it by
 *   relative path, so its types work in the editor before any install and no `file:` package is linked;
 * - skene/runner.ts and skene/package.json: `cd skene && npm install && npm run once` fetches only registry
 *   packages (the sdk's imports and tsx), with npm, pnpm or yarn.
 */
import type { GeneratorAssets } from '../assets';
import { GENERATED_MANIFEST_FILE } from '../../sdk/generated';
import { tsString } from '../config/tsLiterals';
import { render } from '../render';
import type { GeneratedFile, GeneratorContext } from '../types';

export const RUNNER_DIR = 'skene';
export const SDK_DIR = `${RUNNER_DIR}/sdk`;
/** How skene.config.ts (at the project root) imports the sdk. */
export const CONFIG_SDK_IMPORT = `./${SDK_DIR}`;
// The registry packages the built sdk imports (scripts/buildSdkPackage.mjs keeps them external).
const SDK_DEPENDENCIES = { 'libpg-query': '^18.1.5', nodemailer: '^10.6.1', pg: '^8.23.1', 'pgsql-deparser': '^18.3.8', zod: '^4.6.7' };
// index.d.ts imports pg's types; runner.ts uses Node's.
const DEV_DEPENDENCIES = { tsx: '^4.20.0', '@types/node': '^20.19.0', '@types/pg': '^8.15.0' };

export function runnerFiles(ctx: GeneratorContext, assets: GeneratorAssets): GeneratedFile[] {
  const runnerPackage = {
    // A fixed name: the folder a checkout sits in must not change a generated file.
    name: 'skene-runner',
    private: true,
    description: "Skene's TypeScript runner for this Django project: `npm install`, then `npm run once` (or `npm run dry-run`).",
    // runner.ts and sdk/index.js are CommonJS whatever the project's own package.json says.
    type: 'commonjs',
    scripts: { once: 'tsx runner.ts --once', 'dry-run': 'tsx runner.ts --once --dry-run' },
    // The sdk's imports: skene.config.ts and runner.ts load skene/sdk/index.js by path, and Node finds these in
    // skene/node_modules from there (npm and pnpm alike).
    dependencies: SDK_DEPENDENCIES,
    devDependencies: DEV_DEPENDENCIES,
  };
  const owned = (path: string, contents: string, reason: string): GeneratedFile => ({ path, contents, ownership: 'owned', reason });
  return [
    owned(`${SDK_DIR}/index.js`, assets.sdkPackage.indexJs, '@skene/sdk, built: defineLoop and the schema skene.config.ts uses, and the TypeScript loop engine.'),
    owned(`${SDK_DIR}/index.d.ts`, assets.sdkPackage.indexDts, "@skene/sdk's types, for skene.config.ts and the runner in your editor."),
    owned(`${RUNNER_DIR}/package.json`, `${JSON.stringify(runnerPackage, null, 2)}\n`, "The runner's own dependencies, so your package.json and lockfiles stay as they are."),
    owned(
      `${RUNNER_DIR}/runner.ts`,
      render(assets, 'node/runner.ts.ejs', {
        manifestFile: tsString(GENERATED_MANIFEST_FILE),
        timeZone: tsString(ctx.project.settings.timeZone ?? 'UTC'),
        defaultFrom: tsString(ctx.project.email.defaultFromEmail ?? ''),
      }),
      'Runs the loops of skene.config.ts once with the TypeScript engine (`cd skene && npm run once`).',
    ),
  ];
}
