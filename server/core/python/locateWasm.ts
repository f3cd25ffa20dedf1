import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Finds a wasm file that the build copies beside the bundle (dist/), falling back to node_modules when the
 * code runs from source (tests, tsx). Bundles break when the runtime guesses its own location, so we
 * resolve explicitly and fail with the paths we tried.
 */
export function locateWasm(fileName: string, packageName: string): string {
  const tried: string[] = [];
  const besideBundle = path.join(__dirname, fileName);
  tried.push(besideBundle);
  if (fs.existsSync(besideBundle)) return besideBundle;
  let dir: string;
  try {
    // Resolve the package's entry (its package.json may be hidden by an "exports" map), then walk up.
    dir = path.dirname(require.resolve(packageName));
  } catch {
    throw new Error(`Cannot find ${fileName}: not beside the bundle (${besideBundle}) and ${packageName} is not installed`);
  }
  for (let depth = 0; depth < 3; depth++, dir = path.dirname(dir)) {
    const found = findFile(dir, fileName);
    if (found) return found;
    tried.push(dir);
  }
  throw new Error(`Cannot find ${fileName}; looked in: ${tried.join(', ')}`);
}

function findFile(dir: string, fileName: string): string | undefined {
  for (const candidate of [path.join(dir, fileName), path.join(dir, 'wasm', fileName)]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}
