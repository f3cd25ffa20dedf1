/**
 * Rename in skene.config.ts, as plain edits: a loop id (the config, loops.json, the Celery beat entry and
 * Initialize's record) or a template name (every step that uses it, loops.json, and its .html/.txt files).
 * Where django-celery-beat holds the schedule, the migrations that wrote the periodic task may have run: they are
 * left as written, and a new migration (named here, rendered by the generators) renames the task.
 * loops.json is a file Initialize owns: its recorded hash in .skene/generated.json is updated too, so the
 * next Initialize does not take the renamed manifest for a user edit.
 */
import * as path from 'node:path';
import { contentHash } from '../../../generators/state/initState';
import { migrationSlug, nextMigrationNumber } from '../../../generators/django/migrationNames';
import { GENERATED_MANIFEST_FILE, RETENTION_APP } from '../../../sdk/generated';
import type { ParsedLoop } from '../config/checkConfig';
import { stringAt, valueAt, type StringNode } from '../config/valueTree';
import type { ProjectModel } from '../django/projectModel';
import { cursorAt, type ConfigView } from './configCursor';
import { findLoopUsages, INIT_STATE_FILE, loopUsageFiles } from './loopUsages';
import type { ProjectFiles } from './navigationTypes';

export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

export interface FileEdits {
  /** Relative to the project root. */
  file: string;
  edits: OffsetEdit[];
}

export interface RenamePlan {
  /** What is renamed, for the preview ("loop id 'a' → 'b'"). */
  label: string;
  /** A consequence the user should read before applying, or null. */
  warning: string | null;
  config: OffsetEdit[];
  files: FileEdits[];
  /** Files moved (template files), relative to the root. */
  moves: Array<{ from: string; to: string }>;
  /** django-celery-beat: the migration to create that renames the loop's periodic task, or null. */
  scheduleMigration: ScheduleRename | null;
}

export interface ScheduleRename {
  /** Relative to the root. */
  file: string;
  from: string;
  to: string;
  /** The retention app's last migration, which the new one follows. */
  after: [app: string, name: string];
}

export type RenameTarget = { kind: 'loop-id' | 'template'; node: StringNode; start: number; end: number; name: string };

const LOOP_ID = /^[a-z][a-z0-9_-]{0,62}$/;
const TEMPLATE_NAME = /^[A-Za-z0-9_-]+$/;

/** The renameable name under the cursor (its text without quotes), or null. */
export function renameTargetAt(view: ConfigView, offset: number): RenameTarget | null {
  const hit = cursorAt(view, offset);
  if (!hit || hit.onKey || hit.node.kind !== 'string' || hit.node.offsetMap) return null;
  const key = hit.path.join('.');
  const kind = key === 'id' ? 'loop-id' : /^steps\.\d+\.action\.template$/.test(key) ? 'template' : null;
  if (!kind) return null;
  const node = hit.node;
  return { kind, node, start: node.contentStart, end: node.contentStart + node.value.length, name: node.value };
}

export function planRename(view: ConfigView, offset: number, newName: string, files: ProjectFiles): RenamePlan | { error: string } | null {
  const target = renameTargetAt(view, offset);
  if (!target) return null;
  if (target.kind === 'loop-id') {
    if (!LOOP_ID.test(newName)) return { error: `'${newName}' is not a loop id: use lowercase letters, digits, "_" or "-", starting with a letter.` };
    if (view.result.loops.some((l) => l.id === newName)) return { error: `Another loop already has the id '${newName}'.` };
    return renameLoopId(view.project, target, newName, files);
  }
  if (!TEMPLATE_NAME.test(newName)) return { error: `'${newName}' is not a template name: use letters, digits, "_" or "-".` };
  return renameTemplate(view, target, newName, files);
}

function renameLoopId(project: ProjectModel | null, target: RenameTarget, newName: string, files: ProjectFiles): RenamePlan {
  const edited = new Map<string, FileEdits>();
  let scheduled = false;
  for (const file of project ? loopUsageFiles(project) : []) {
    const text = files.read(file);
    if (text === null) continue;
    const edits = findLoopUsages(target.name, file, text).map((u) => ({ start: u.start, end: u.end, newText: newName }));
    // A schedule migration may have run: editing it would not rename the task in the database.
    if (file.startsWith(`${RETENTION_APP}/migrations/`)) scheduled ||= edits.length > 0;
    else if (edits.length) edited.set(file, { file, edits });
  }
  const scheduleMigration = scheduled && project ? scheduleRename(project, target.name, newName) : null;
  if (scheduleMigration) recordMigration(edited, files, `rename:${target.name}:${newName}`, scheduleMigration.file);
  const ledger = `Sends already recorded under '${target.name}' stay in the ledger under that id: frequency caps, cycles and the report start afresh for '${newName}'.`;
  return {
    label: `Rename loop '${target.name}' to '${newName}'`,
    warning: scheduleMigration ? `${ledger} The new migration ${scheduleMigration.file} renames the django-celery-beat periodic task: run \`python manage.py migrate ${RETENTION_APP}\`.` : ledger,
    config: [{ start: target.start, end: target.end, newText: newName }],
    files: withStateHashes(edited, files),
    moves: [],
    scheduleMigration,
  };
}

/** The migration that renames the loop's periodic task, after the retention app's last one. */
function scheduleRename(project: ProjectModel, from: string, to: string): ScheduleRename {
  const info = project.migrations[RETENTION_APP];
  const last = info?.leaf ?? info?.files.map((f) => path.posix.basename(f, '.py')).sort().pop() ?? '0001_initial';
  return { file: `${RETENTION_APP}/migrations/${nextMigrationNumber(info)}_rename_${migrationSlug(`${from}_to_${to}`)}.py`, from, to, after: [RETENTION_APP, last] };
}

/**
 * Records a migration Skene wrote in .skene/generated.json (so the next Initialize numbers its own after it), at its
 * sorted place among the recorded migrations, as Initialize writes the file.
 */
function recordMigration(edited: Map<string, FileEdits>, files: ProjectFiles, role: string, file: string): void {
  const stateText = files.read(INIT_STATE_FILE);
  const open = stateText ? /"migrations"\s*:\s*\{/.exec(stateText) : null;
  if (!stateText || !open) return;
  const body = open.index + open[0].length;
  const entries = [...stateText.slice(body, stateText.indexOf('}', body)).matchAll(/"((?:[^"\\]|\\.)*)"\s*:\s*"(?:[^"\\]|\\.)*"/g)];
  const line = `${JSON.stringify(role)}: ${JSON.stringify(file)}`;
  const next = entries.find((m) => (JSON.parse(`"${m[1] ?? ''}"`) as string) > role);
  const last = entries[entries.length - 1];
  const entry = next
    ? { start: body + next.index, end: body + next.index, newText: `${line},\n    ` }
    : last
      ? { start: body + last.index + last[0].length, end: body + last.index + last[0].length, newText: `,\n    ${line}` }
      : { start: body, end: body, newText: `\n    ${line}\n  ` };
  const current = edited.get(INIT_STATE_FILE);
  edited.set(INIT_STATE_FILE, { file: INIT_STATE_FILE, edits: [...(current?.edits ?? []), entry] });
}

function renameTemplate(view: ConfigView, target: RenameTarget, newName: string, files: ProjectFiles): RenamePlan {
  const config = view.result.loops.flatMap((loop) => templateNodes(loop).filter((n) => n.value === target.name)).map((n) => ({ start: n.contentStart, end: n.contentStart + n.value.length, newText: newName }));
  const edited = new Map<string, FileEdits>();
  const manifest = files.read(GENERATED_MANIFEST_FILE);
  if (manifest !== null) {
    const edits = [...manifest.matchAll(new RegExp(`("template"\\s*:\\s*")${target.name.replace(/[^A-Za-z0-9_-]/g, '\\$&')}(?=")`, 'g'))].map((m) => ({ start: m.index + (m[1]?.length ?? 0), end: m.index + m[0].length, newText: newName }));
    if (edits.length) edited.set(GENERATED_MANIFEST_FILE, { file: GENERATED_MANIFEST_FILE, edits });
  }
  const moves = files.templateFiles(target.name).map((from) => ({ from, to: path.posix.join(path.posix.dirname(from), `${newName}${path.posix.extname(from)}`) }));
  const clash = moves.find((m) => files.read(m.to) !== null);
  return {
    label: `Rename template '${target.name}' to '${newName}'`,
    warning: clash ? `${clash.to} already exists; the template files are not moved.` : null,
    config,
    files: withStateHashes(edited, files),
    moves: clash ? [] : moves,
    scheduleMigration: null,
  };
}

function templateNodes(loop: ParsedLoop): StringNode[] {
  const steps = valueAt(loop.tree, ['steps']);
  const count = steps?.kind === 'array' ? steps.elements.length : 0;
  return Array.from({ length: count }, (_, i) => stringAt(loop.tree, ['steps', i, 'action', 'template'])).filter((n): n is StringNode => n !== undefined && !n.offsetMap);
}

/** Adds the .skene/generated.json edits that keep the recorded hash of each edited owned file current. */
function withStateHashes(edited: Map<string, FileEdits>, files: ProjectFiles): FileEdits[] {
  const stateText = files.read(INIT_STATE_FILE);
  const stateEdits = edited.get(INIT_STATE_FILE)?.edits ?? [];
  if (stateText !== null) {
    for (const [file, change] of edited) {
      const before = files.read(file);
      if (file === INIT_STATE_FILE || before === null) continue;
      const oldHash = contentHash(before);
      const at = stateText.indexOf(`"${oldHash}"`);
      if (at >= 0) stateEdits.push({ start: at + 1, end: at + 1 + oldHash.length, newText: contentHash(applyOffsetEdits(before, change.edits)) });
    }
    if (stateEdits.length) edited.set(INIT_STATE_FILE, { file: INIT_STATE_FILE, edits: stateEdits.sort((a, b) => a.start - b.start) });
  }
  return [...edited.values()];
}

export function applyOffsetEdits(text: string, edits: OffsetEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}
