/**
 * Rename in skene.config.ts, as plain edits: a loop id (the config, loops.json, the Celery beat entry and
 * Initialize's record) or a template name (every step that uses it, loops.json, and its .html/.txt files).
 * loops.json is a file Initialize owns: its recorded hash in .skene/generated.json is updated too, so the
 * next Initialize does not take the renamed manifest for a user edit.
 */
import * as path from 'node:path';
import { contentHash } from '../../../generators/state/initState';
import { GENERATED_MANIFEST_FILE } from '../../../sdk/generated';
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
  for (const file of project ? loopUsageFiles(project) : []) {
    const text = files.read(file);
    if (text === null) continue;
    const edits = findLoopUsages(target.name, file, text).map((u) => ({ start: u.start, end: u.end, newText: newName }));
    if (edits.length) edited.set(file, { file, edits });
  }
  return {
    label: `Rename loop '${target.name}' to '${newName}'`,
    warning: `Sends already recorded under '${target.name}' stay in the ledger under that id: frequency caps, cycles and the report start afresh for '${newName}'.`,
    config: [{ start: target.start, end: target.end, newText: newName }],
    files: withStateHashes(edited, files),
    moves: [],
  };
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
