/**
 * The upgrade from an older Skene's layout (before the compact SDK, commit 416bc74): it vendored @skene/sdk as
 * ~50 sources under skene/sdk/ (with its own package.json and bin/skene.js) and edited the project's root
 * package.json — `"@skene/sdk": "file:skene/sdk"` in dependencies, a `skene:run` script, and dev dependencies it
 * was missing. A re-run plans the removal of the vendored files it recorded (unchanged since) and of its own
 * package.json entries; like every change, only with consent (`skene init --yes`, yes at the prompt, or the
 * editor's Initialize with the review's removal row ticked). Files edited since are left, with a note.
 */
import { contentHash } from '../state/initState';
import { unifiedDiff } from '../resolveAction';
import type { GeneratorContext, PlannedFile } from '../types';
import { SDK_DIR } from '../node/runnerFiles';

const OLD_SDK_DEPENDENCY = `file:${SDK_DIR}`;
const OLD_RUN_SCRIPT = 'tsx skene/runner.ts --once';
/** What the old Skene added to devDependencies when missing: it cannot be told from the project's own, so they stay. */
const OLD_DEV_DEPENDENCIES: Record<string, string> = { tsx: '^4.20.0', typescript: '^5.9.3', '@types/node': '^20.19.0', '@types/nodemailer': '^8.0.2', '@types/pg': '^8.15.0' };

export function oldLayoutCleanup(ctx: GeneratorContext, planned: ReadonlySet<string>): { files: PlannedFile[]; recorded: string[] } {
  const out: PlannedFile[] = [];
  const vendored = Object.keys(ctx.previous.files).filter((p) => p.startsWith(`${SDK_DIR}/`) && !planned.has(p)).sort();
  const edited: string[] = [];
  for (const path of vendored) {
    const text = ctx.readFile(path);
    if (text === null) continue;
    if (contentHash(text) !== ctx.previous.files[path]) {
      edited.push(path);
      continue;
    }
    out.push(removal(path, text, 'Vendored @skene/sdk source of an older Skene: skene/sdk/index.js and index.d.ts replace it.'));
  }
  if (edited.length) ctx.notes.push({ severity: 'warning', message: `Left in place, edited since an older Skene vendored them: ${edited.join(', ')}. skene/sdk/index.js replaces them; remove them when your edits are elsewhere.` });
  const pkg = restoredPackageJson(ctx);
  if (pkg) out.push(pkg);
  if (out.length) ctx.notes.push({ severity: 'info', message: `Upgrade from an older Skene's layout: this plan removes ${out.filter((f) => f.action === 'delete').length} vendored file(s) under ${SDK_DIR}/${pkg ? ' and the package.json entries Skene added' : ''}. \`skene init --yes\` applies it, and so does the editor's Initialize (one row of its review, to untick to keep them).` });
  return { files: out, recorded: [...out.filter((f) => f.action === 'delete').map((f) => f.path), ...edited] };
}

function removal(path: string, before: string, reason: string): PlannedFile {
  return { path, action: 'delete', before, after: '', diff: unifiedDiff(path, before, ''), reason, tracked: false };
}

/** The root package.json without what the old Skene added to it (only entries with its exact values), or null. */
function restoredPackageJson(ctx: GeneratorContext): PlannedFile | null {
  const before = ctx.readFile('package.json');
  if (before === null) return null;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(before) as Record<string, unknown>;
  } catch {
    return null;
  }
  const removed: string[] = [];
  const drop = (section: string, key: string, value: string) => {
    const obj = data[section];
    if (!obj || typeof obj !== 'object' || Array.isArray(obj) || (obj as Record<string, unknown>)[key] !== value) return;
    delete (obj as Record<string, unknown>)[key];
    removed.push(`${section}["${key}"]`);
    // The old Skene created the section when it was missing: an empty one is its own.
    if (Object.keys(obj).length === 0) delete data[section];
  };
  drop('dependencies', '@skene/sdk', OLD_SDK_DEPENDENCY);
  drop('scripts', 'skene:run', OLD_RUN_SCRIPT);
  if (!removed.length) return null;
  const dev = data.devDependencies as Record<string, unknown> | undefined;
  const maybeOurs = Object.entries(OLD_DEV_DEPENDENCIES).filter(([name, range]) => dev?.[name] === range).map(([name]) => name);
  if (maybeOurs.length) ctx.notes.push({ severity: 'info', message: `package.json keeps ${maybeOurs.join(', ')} in devDependencies: an older Skene added them where they were missing, but they may be your project's own; remove them if nothing else uses them.` });
  const indent = /^\{\r?\n([ \t]+)"/.exec(before)?.[1] ?? 2;
  const after = `${JSON.stringify(data, null, indent)}\n`;
  return { path: 'package.json', action: 'modify', before, after, diff: unifiedDiff('package.json', before, after), reason: `Restores your package.json: removes ${removed.join(' and ')}, which an older Skene added (the runner now has skene/package.json).`, tracked: false };
}
