// The sdk as Initialize writes it into a project (skene/sdk/): one CommonJS module and one declaration file for
// sdk/package.ts, so a project reviews three files instead of the ~50 sources. The registry packages it imports
// stay imports (the runner's own package.json installs them); everything of ours is inside.
// dts-bundle-generator rolls the declarations up (tsc cannot emit one .d.ts for a CommonJS package).
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** The registry packages the built sdk imports: they are the runner's dependencies (generators/node/runnerFiles.ts). */
export const SDK_EXTERNALS = ['zod', 'pg', 'libpg-query', 'pgsql-deparser', 'nodemailer'];

export const SDK_PACKAGE_DIR = 'sdk-package';

/** Writes <outdir>/sdk-package/index.js and index.d.ts. */
export async function buildSdkPackage(outdir) {
  const target = path.join(outdir, SDK_PACKAGE_DIR);
  mkdirSync(target, { recursive: true });
  await build({
    entryPoints: [path.join(root, 'sdk/package.ts')],
    outfile: path.join(target, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: [...SDK_EXTERNALS, 'pg-native'],
    // Not minified: it is code a reviewer may read in their project.
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
    banner: { js: '// @skene/sdk, built by Skene: `npx skene-django init` regenerates this file.' },
  });
  const { generateDtsBundle } = require('dts-bundle-generator');
  const [dts] = generateDtsBundle(
    [{ filePath: path.join(root, 'sdk/package.ts'), output: { noBanner: true, exportReferencedTypes: false } }],
    { preferredConfigPath: path.join(root, 'tsconfig.json') },
  );
  writeFileSync(path.join(target, 'index.d.ts'), `// @skene/sdk types, built by Skene: \`npx skene-django init\` regenerates this file.\n${dts}`);
  return target;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await buildSdkPackage(path.join(root, 'dist'));
  console.log('built dist/sdk-package');
}
