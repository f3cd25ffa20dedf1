/**
 * examples/saas of the checkout the demo runs from: beside the sources (cli/demo/ under tsx) or beside the
 * bundle (dist/cli.js). The demo runs from a checkout (`npm run demo`); the VSIX ships no examples.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export const EXAMPLE_PROJECT = path.join('examples', 'saas');

export function findExampleProject(from: string = __dirname): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, EXAMPLE_PROJECT);
    if (existsSync(path.join(candidate, 'manage.py'))) return candidate;
    if (path.dirname(dir) === dir) return null;
  }
}
