/** Throw-away copies of examples/saas, so tests can write a config, edit models.py, or run Initialize. */
import { cpSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runProcess } from '../../helpers/runProcess';
import { makeTempDir, removeTempDir } from '../../helpers/tempDir';

export const EXAMPLE_PROJECT = path.resolve(__dirname, '../../../examples/saas');

export interface ProjectCopy {
  root: string;
  uri: (relative: string) => string;
  file: (relative: string) => string;
  write: (relative: string, text: string) => void;
  remove: () => Promise<void>;
}

export async function copyExampleProject(): Promise<ProjectCopy> {
  return copyProjectFrom(EXAMPLE_PROJECT);
}

/** A throw-away copy of any project folder (a fixture). */
export async function copyProjectFrom(source: string): Promise<ProjectCopy> {
  const root = await makeTempDir('skene-lsp');
  cpSync(source, root, { recursive: true, filter: (source) => !source.includes('__pycache__') });
  const file = (relative: string) => path.join(root, relative);
  return {
    root,
    file,
    uri: (relative) => pathToFileURL(file(relative)).href,
    write: (relative, text) => writeFileSync(file(relative), text),
    remove: () => removeTempDir(root),
  };
}

/** A copy of examples/saas (or another project) after `skene init --yes` (the bundled CLI): loops.json, the beat entry, the templates. */
export async function copyInitializedProject(source = EXAMPLE_PROJECT, initArgs: string[] = []): Promise<ProjectCopy> {
  const copy = await copyProjectFrom(source);
  const result = await runProcess(process.execPath, [path.resolve(__dirname, '../../../dist/cli.js'), 'init', '--yes', ...initArgs], { cwd: copy.root });
  if (result.code !== 0) throw new Error(`skene init failed in ${copy.root}: ${result.stderr}`);
  return copy;
}
