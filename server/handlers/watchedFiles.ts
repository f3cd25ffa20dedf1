import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type DidChangeWatchedFilesParams,
} from 'vscode-languageserver/node';
import type { ProjectChange } from '../core/workspace/projectState';
import { uriToPath, type ServerContext } from './context';

/** Globs of the files the project model and the config checker read (registered when the client allows it). */
export const WATCHED_GLOBS = ['**/*.py', '**/skene.config.ts', '**/skene/emails/**', '**/skene_retention/loops.json', '**/.env*', '**/{*requirements*.txt,*requirements*.in,pyproject.toml,setup.cfg,pytest.ini}', '**/*requirements*/*.{txt,in}'];

/** Saved, created and deleted files update the project incrementally; open editors' own text wins meanwhile. */
export async function handleWatchedFiles(ctx: ServerContext, params: DidChangeWatchedFilesParams): Promise<void> {
  const changes: ProjectChange[] = [];
  for (const event of params.changes) {
    const file = uriToPath(event.uri);
    if (!file) continue;
    const open = ctx.documents.get(event.uri);
    // An open Python file's model comes from its buffer; a save makes disk and buffer equal anyway.
    if (open && file.endsWith('.py') && event.type !== FileChangeType.Deleted) continue;
    changes.push({ file, change: event.type === FileChangeType.Deleted ? { deleted: true } : { changedOnDisk: true } });
  }
  if (changes.length) await ctx.projects.apply(changes);
}

export async function registerFileWatchers(ctx: ServerContext): Promise<void> {
  if (!ctx.features.watchedFilesDynamic) return;
  await ctx.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED_GLOBS.map((globPattern) => ({ globPattern })) });
}
