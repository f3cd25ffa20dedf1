import { cpSync, existsSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { runProcess } from '../helpers/runProcess';

const root = path.resolve(__dirname, '../..');

// What packaging never reads: copying it would only cost time (node_modules is linked, not copied).
const NOT_COPIED = new Set(['node_modules', '.git', 'dist', '.tmp', 'test', 'examples', 'bench', 'skene-django.vsix']);

/**
 * Runs the real `npm run package` (minified build + vsce) on a copy of the sources in `stagingDir`, so
 * the VSIX under test is the one users get, while the repository's dist/ — which other test files run
 * in parallel — is left alone. Returns the VSIX path.
 */
export async function packageVsix(stagingDir: string): Promise<string> {
  for (const entry of readdirSync(root)) {
    if (NOT_COPIED.has(entry) || entry.endsWith('.vsix')) continue;
    cpSync(path.join(root, entry), path.join(stagingDir, entry), { recursive: true, filter: (source) => !source.includes('__pycache__') });
  }
  symlinkSync(path.join(root, 'node_modules'), path.join(stagingDir, 'node_modules'), 'dir');
  const result = await runProcess('npm', ['run', 'package'], { cwd: stagingDir, timeoutMs: 180_000 });
  const vsix = path.join(stagingDir, 'skene-django.vsix');
  if (result.code !== 0 || !existsSync(vsix)) {
    throw new Error(`npm run package failed (exit ${result.code}):\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
  }
  return vsix;
}

export function fileSize(file: string): number {
  return statSync(file).size;
}
