/**
 * Where a loop id is used outside skene.config.ts: the generated manifest (`"id": "<id>"` in loops.json,
 * which the Celery task and the staff report read), the Celery beat entry (`"skene-<id>"`, its comment and
 * `args=("<id>",)` in the settings or the Celery module, or a django-celery-beat migration), and
 * Initialize's record (`.skene/generated.json`). Plain text in, ranges out; the caller reads the files.
 */
import { GENERATED_MANIFEST_FILE, RETENTION_APP } from '../../../sdk/generated';
import type { ProjectModel } from '../django/projectModel';
import { textTarget, type FileTarget } from './navigationTypes';

export const INIT_STATE_FILE = '.skene/generated.json';

export type LoopUsageKind = 'manifest' | 'beat' | 'state';

export interface LoopUsage {
  kind: LoopUsageKind;
  target: FileTarget;
  /** Offsets of the id in the file's text. */
  start: number;
  end: number;
}

/** Project files that may name a loop id, relative to the root, in the order results are listed. */
export function loopUsageFiles(project: ProjectModel): string[] {
  const migrations = project.migrations[RETENTION_APP]?.files ?? [];
  const python = [...project.settings.files, ...(project.celery?.file ? [project.celery.file] : []), ...migrations];
  return [GENERATED_MANIFEST_FILE, ...new Set(python), INIT_STATE_FILE];
}

export function findLoopUsages(id: string, file: string, text: string): LoopUsage[] {
  const kind: LoopUsageKind = file === GENERATED_MANIFEST_FILE ? 'manifest' : file === INIT_STATE_FILE ? 'state' : 'beat';
  const name = escapeRegExp(id);
  // The manifest names ids only as a loop's "id"; Python and the state file quote them, maybe prefixed.
  const pattern = kind === 'manifest'
    ? new RegExp(`("id"\\s*:\\s*")(${name})(?=")`, 'g')
    : kind === 'state'
      ? new RegExp(`("loopId"\\s*:\\s*"|"beat:)(${name})(?=[":])`, 'g')
      : new RegExp(`(["']skene-(?=${name}(?:-\\d+)?["'])|["'](?=${name}["']))(${name})`, 'g');
  const usages: LoopUsage[] = [];
  for (const match of text.matchAll(pattern)) {
    const start = match.index + (match[1]?.length ?? 0);
    const end = start + id.length;
    usages.push({ kind, start, end, target: textTarget(file, text, start, end) });
  }
  return usages;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
