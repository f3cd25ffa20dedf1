/**
 * Compares what a generator wants with what is on disk and what the last `skene init` wrote, and decides
 * the file's action. The one rule: never silently overwrite something the user changed.
 */
import { createTwoFilesPatch } from 'diff';
import { contentHash, type InitState } from './state/initState';
import type { GeneratedFile, PlannedFile } from './types';

export function unifiedDiff(path: string, before: string | null, after: string): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(before === null ? '/dev/null' : `a/${path}`, `b/${path}`, before ?? '', after, undefined, undefined, { context: 3 });
  // Drop the "Index:/=====" preamble: a plain unified diff reads like `git diff`.
  return patch.replace(/^={3,}\n/m, '').replace(/^Index: .*\n/m, '');
}

export function resolveAction(file: GeneratedFile, before: string | null, previous: InitState): PlannedFile {
  const planned = (action: PlannedFile['action'], after: string, reason = file.reason): PlannedFile => ({
    path: file.path,
    action,
    before,
    after,
    diff: unifiedDiff(file.path, before, after),
    reason,
    tracked: file.ownership === 'owned',
  });
  if (before === null) return planned('create', file.contents);
  if (before === file.contents) return planned('unchanged', before);
  if (file.ownership === 'seed') return planned('unchanged', before, `${file.reason} It exists already and is yours to edit; Initialize leaves it as it is.`);
  if (file.ownership === 'edit') return planned('modify', file.contents);
  const recorded = previous.files[file.path];
  if (recorded !== undefined && recorded === contentHash(before)) return planned('modify', file.contents);
  const why = recorded === undefined ? 'a file Initialize did not write is in the way' : 'it was edited since the last `skene init`';
  return planned('conflict', file.contents, `${file.reason} Not overwritten: ${why} (re-run with --yes to replace it).`);
}
