/**
 * Registers each loop's Celery beat entry the way the project already schedules tasks: CELERY_BEAT_SCHEDULE
 * in settings, `app.conf.beat_schedule` in the Celery module, or a django-celery-beat data migration. A
 * project without Celery gets `<project>/celery.py` (Celery's Django guide) and the `__init__` import.
 */
import type { Node } from 'web-tree-sitter';
import type { GeneratorAssets } from '../assets';
import { insertElement, removeElement, replaceNode } from '../python/insertItems';
import { pyComment, pyString } from '../python/pySyntax';
import { firstPartyPackages, placeImport } from '../python/importPlacement';
import { classAttributeValueAt, elementsOf, importedNames, moduleQuote, parseModule, stringValue, topLevelValue, type PyModule } from '../python/pyTree';
import { applyEdits, indentAt, newlineOf, type TextEdit } from '../python/textEdits';
import { render } from '../render';
import type { GeneratedFile, GeneratorContext } from '../types';
import { crontabSchedules, hourlyAtMinutes, SPLIT_PARTS, type CrontabArgs } from './crontabArgs';
import { BEAT_REGISTRATION_REASON, CELERY_APP_REASON } from './beatReasons';
import type { EditSet } from './fileEdits';
import { moduleFor } from './settingsEdits';
import { extraEntries, goneEntries, goneSummary, skeneCommentAbove, TASK_NAME, type GoneEntry, type WrittenEntry } from './skeneBeatEntries';

export { TASK_NAME };

export interface ScheduledLoop {
  id: string;
  cron: string;
  timezone: string;
}

export interface BeatEntry {
  key: string;
  loop: ScheduledLoop;
  args: CrontabArgs;
  /** Set when Celery's time zone differs from the loop's: fire hourly, the task checks the loop's tick. */
  windowMinutes: number | null;
  /** Which part of a cron split in two (crontabArgs.ts) this entry runs, else null. */
  part: (typeof SPLIT_PARTS)[number] | null;
}

/** The key of a loop's beat entry: `skene-<id>`, and `skene-<id>-2` for the second schedule of a split cron. */
export function entryKey(loopId: string, index: number): string {
  return `skene-${loopId}${index ? `-${index + 1}` : ''}`;
}

export function beatEntries(loops: ScheduledLoop[], celeryTimezone: string): BeatEntry[] {
  return loops.flatMap((loop) => {
    const sameZone = loop.timezone === celeryTimezone;
    const schedules = sameZone ? crontabSchedules(loop.cron) : [hourlyAtMinutes(crontabSchedules(loop.cron)[0] ?? crontabSchedules('0 * * * *')[0]!)];
    const split = schedules.length > 1;
    return schedules.map((args, i) => ({ key: entryKey(loop.id, i), loop, args, windowMinutes: sameZone ? null : 60, part: split ? SPLIT_PARTS[i] ?? null : null }));
  });
}

/**
 * `crontab(minute=0, hour=9)` as people write it: '*' fields left out (they are crontab()'s defaults),
 * plain numbers as ints, anything else ("1-5", "*\/15", "mon") as a string.
 */
export function crontabCall(args: CrontabArgs, quote: Quote = '"'): string {
  const parts = Object.entries(args).filter(([, v]) => v !== '*').map(([k, v]) => `${k}=${/^\d+$/.test(v) ? String(Number(v)) : pyString(v, quote)}`);
  return `crontab(${parts.join(', ')})`;
}

type Quote = '"' | "'";

/** `"skene-x": {...}` as Python, indented for a dict whose elements sit at `indent`, in the file's quotes. */
export function entryCode(entry: BeatEntry, indent: string, nl: string, quote: Quote = '"'): string {
  const args = crontabCall(entry.args, quote);
  const inner = `${indent}    `;
  const s = (value: string) => pyString(value, quote);
  const lines = [
    `${s(entry.key)}: {`,
    `${inner}${s('task')}: ${s(TASK_NAME)},`,
    // Said here, not in the comment above the entry: that one line would outgrow any line length.
    ...(entry.windowMinutes ? [`${inner}# Hourly: Celery's time zone is not the loop's; the task keeps the loop's hour.`] : []),
    `${inner}${s('schedule')}: ${args},`,
    `${inner}${s('args')}: (${s(entry.loop.id)},),`,
    ...(entry.windowMinutes ? [`${inner}${s('kwargs')}: {${s('window_minutes')}: ${entry.windowMinutes}},`] : []),
    `${indent}}`,
  ];
  return lines.join(nl);
}

/** The comment above an entry: the loop and its cron, kept short enough for a project's line length. */
export function entryComment(entry: BeatEntry): string {
  // crontab() ANDs day-of-month with day-of-week where cron ORs them: each entry says which part it runs.
  const part = entry.part ? `, its ${entry.part} part` : '';
  return pyComment(`Skene: loop "${entry.loop.id}", cron '${entry.loop.cron}' in ${entry.loop.timezone}${part}.`);
}

/**
 * Inserts or updates the entries in a dict literal; returns the edits. A cron that now needs one schedule where it
 * needed two (or none in Celery's other time zone) loses the loop's extra entries `skene-<id>-<n>`, with their comment.
 */
function upsertEntries(text: string, dict: Node, entries: BeatEntry[], quote: Quote): TextEdit[] {
  const nl = newlineOf(text);
  const elements = elementsOf(dict);
  const pairs = elements.filter((e) => e.type === 'pair');
  const indent = pairs[0] ? indentAt(text, pairs[0].startIndex) : `${indentAt(text, dict.startIndex)}    `;
  const pairOf = (key: string) => pairs.find((p) => stringValue(p.childForFieldName('key')) === key);
  const edits: TextEdit[] = [];
  entries.forEach((entry, i) => {
    const code = entryCode(entry, indent, nl, quote);
    const existing = pairOf(entry.key);
    if (existing) {
      if (existing.text !== code) edits.push(replaceNode(existing, code));
      // The comment above repeats the cron: a changed schedule must not leave the old one there.
      const comment = skeneCommentAbove(existing, entry.loop.id);
      if (comment && comment.text !== `# ${entryComment(entry)}`) edits.push(replaceNode(comment, `# ${entryComment(entry)}`));
      return;
    }
    // A loop's second entry goes right after its first, which the reader looks at when the cron changes.
    const before = entries[i - 1]?.loop.id === entry.loop.id ? pairOf(entries[i - 1]?.key ?? '') : undefined;
    edits.push(...insertElement(text, dict, `# ${entryComment(entry)}${nl}${indent}${code}`, before ? elements.indexOf(before) : undefined));
  });
  for (const loop of new Set(entries.map((e) => e.loop))) {
    const count = entries.filter((e) => e.loop === loop).length;
    for (const extra of extraEntries(keyedPairs(dict), loop.id, count)) edits.push(removeElement(text, extra, skeneCommentAbove(extra, loop.id)));
  }
  return edits;
}

function keyedPairs(dict: Node): WrittenEntry[] {
  return elementsOf(dict).filter((e) => e.type === 'pair').map((pair): WrittenEntry => [stringValue(pair.childForFieldName('key')) ?? '', pair]);
}

/**
 * The dict's edits when loops left the config: their entries go first (with Skene's comment), then the current loops'
 * entries are updated or added in what is left, so a new entry never goes after one that is removed. One edit over the
 * dict; without removals, upsertEntries' own edits.
 */
async function dictEdits(text: string, dict: Node, entries: BeatEntry[], quote: Quote, gone: GoneEntry[], find: (module: PyModule) => Node | null): Promise<TextEdit[]> {
  const removals = gone.flatMap((e) => (e.comment ? [removeElement(text, e.node, e.comment)] : []));
  if (!removals.length) return upsertEntries(text, dict, entries, quote);
  const without = applyEdits(text, removals);
  const reparsed = find(await parseModule(without));
  if (reparsed?.type !== 'dictionary') return removals;
  const updated = applyEdits(without, upsertEntries(without, reparsed, entries, quote));
  const end = reparsed.endIndex + updated.length - without.length;
  return [{ start: dict.startIndex, end: dict.endIndex, text: updated.slice(reparsed.startIndex, end) }];
}

/** The reason of a beat edit (registers entries, removes those of gone loops, or both); the gone entries left are reported. */
function beatReason(ctx: GeneratorContext, file: string, where: string, gone: GoneEntry[], registers: boolean): string {
  const { removes, kept } = goneSummary(gone, where);
  if (kept) ctx.notes.push({ severity: 'warning', message: `${file}: ${kept}` });
  return [registers || !removes ? `${BEAT_REGISTRATION_REASON} ${where}` : null, removes].filter(Boolean).join('; ');
}

function ensureCrontabImport(ctx: GeneratorContext, module: PyModule): TextEdit[] {
  if (importedNames(module).get('crontab') === 'celery.schedules.crontab') return [];
  return [placeImport(module, 'from celery.schedules import crontab', 'celery.schedules', firstPartyPackages(ctx.project.apps, ctx.project.settings.module))];
}

/** `app.conf.beat_schedule = {...}` in the Celery module. */
function appConfDict(module: PyModule): Node | null {
  for (const statement of module.tree.rootNode.namedChildren) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    if (assignment?.type !== 'assignment') continue;
    if (/\.conf\.beat_schedule$/.test(assignment.childForFieldName('left')?.text ?? '')) {
      const right = assignment.childForFieldName('right');
      return right?.type === 'dictionary' ? right : null;
    }
  }
  return null;
}

/** A comment asking that nothing be added after it ("Don't add settings below this line", "must stay last"). */
const KEEP_LAST = /^[ \t]*#.*(?:\b(?:do not|don't|dont|never)\b.*\b(?:add|insert|put|place|define|write|change)\b.*\b(?:below|after)\b|\b(?:must|should)\s+(?:be|stay|remain)\s+(?:the\s+)?(?:last|at the (?:end|bottom)))/im;

/** Appends a block at the end of the module, or before a "nothing after this line" comment. */
function appendBlock(module: PyModule, lines: string[]): TextEdit {
  const nl = newlineOf(module.text);
  const guard = KEEP_LAST.exec(module.text);
  if (guard) return { start: guard.index, end: guard.index, text: `${lines.join(nl)}${nl}${nl}` };
  const end = module.text.length;
  const lead = module.text.endsWith('\n') ? nl : `${nl}${nl}`;
  return { start: end, end, text: `${lead}${lines.join(nl)}${nl}` };
}

function newScheduleLines(name: string, entries: BeatEntry[], nl: string, quote: Quote): string[] {
  return [
    `# Celery beat schedule (added by Skene: \`npx skene-django init\`).`,
    `${name} = {`,
    ...entries.map((e) => `    # ${entryComment(e)}${nl}    ${entryCode(e, '    ', nl, quote)},`),
    '}',
  ];
}

/** `configured`: the loop ids of skene.config.ts, whose absence removes Skene's entries; null (a config not valid yet) keeps them. */
export async function registerInSettings(ctx: GeneratorContext, edits: EditSet, entries: BeatEntry[], configured: ReadonlySet<string> | null): Promise<void> {
  const celery = ctx.project.celery;
  const name = celery?.namespace ? `${celery.namespace}_BEAT_SCHEDULE` : 'CELERY_BEAT_SCHEDULE';
  const file = celery?.beat === 'settings' && celery.beatAt ? celery.beatAt.file : ctx.project.settings.installedAppsAt?.file ?? ctx.project.settings.files[0];
  const module = file ? await moduleFor(ctx, file) : null;
  if (!file || !module) return;
  // In a settings class (readthedocs) the schedule is the class attribute the analyzer found, not a module global.
  const inClass = celery?.beat === 'settings' && celery.beatAt?.file === file ? celery.beatAt.line : null;
  const find = (m: PyModule) => topLevelValue(m, name) ?? (inClass !== null ? classAttributeValueAt(m, name, inClass) : null);
  const dict = find(module);
  if (dict?.type === 'dictionary') {
    const gone = configured ? goneEntries(keyedPairs(dict), configured) : [];
    const changes = await dictEdits(module.text, dict, entries, moduleQuote(module), gone, find);
    const registers = upsertEntries(module.text, dict, entries, moduleQuote(module)).length > 0;
    const imports = entries.length ? ensureCrontabImport(ctx, module) : [];
    edits.add(file, [...imports, ...changes], beatReason(ctx, file, name, gone, registers || imports.length > 0));
  } else if (dict) {
    // Built by code (paperless-ngx: `CELERY_BEAT_SCHEDULE = _parse_beat_schedule()`): the entry to add, ready to paste.
    const quote = moduleQuote(module);
    const code = entries.map((e) => `    # ${entryComment(e)}\n    ${entryCode(e, '    ', '\n', quote)},`).join('\n');
    ctx.notes.push({ severity: 'warning', message: `${name} in ${file} is not a literal dict; add the Skene beat entry to the schedule it builds by hand (with \`from celery.schedules import crontab\`):\n${code}` });
  } else if (entries.length) {
    edits.add(file, [...ensureCrontabImport(ctx, module), appendBlock(module, newScheduleLines(name, entries, newlineOf(module.text), moduleQuote(module)))], `${BEAT_REGISTRATION_REASON} ${name}`);
  }
}

export async function registerInAppConf(ctx: GeneratorContext, edits: EditSet, entries: BeatEntry[], configured: ReadonlySet<string> | null): Promise<void> {
  const file = ctx.project.celery?.file;
  const module = file ? await moduleFor(ctx, file) : null;
  if (!file || !module) return;
  const dict = appConfDict(module);
  const where = 'app.conf.beat_schedule';
  const nl = newlineOf(module.text);
  const quote = moduleQuote(module);
  const imports = entries.length ? ensureCrontabImport(ctx, module) : [];
  if (dict) {
    const gone = configured ? goneEntries(keyedPairs(dict), configured) : [];
    const registers = upsertEntries(module.text, dict, entries, quote).length > 0;
    edits.add(file, [...imports, ...(await dictEdits(module.text, dict, entries, quote, gone, appConfDict))], beatReason(ctx, file, where, gone, registers || imports.length > 0));
    return;
  }
  const written = assignedEntries(module);
  const gone = configured ? goneEntries([...written.entries()], configured) : [];
  const changes = upsertStatements(module, written, entries, nl, quote);
  const removals = removeStatements(module.text, gone);
  edits.add(file, [...imports, ...changes, ...removals], beatReason(ctx, file, where, gone, changes.length > 0 || imports.length > 0));
}

/**
 * Module-level statements with their comments, the removals of consecutive ones joined; at the end of the module, the
 * blank lines above them go too (no blank last line).
 */
function removeStatements(text: string, gone: GoneEntry[]): TextEdit[] {
  const ranges = gone.flatMap((e) => (e.comment ? [removeElement(text, e.node, e.comment)] : [])).sort((a, b) => a.start - b.start);
  const joined: TextEdit[] = [];
  for (const range of ranges) {
    const last = joined[joined.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else joined.push({ ...range });
  }
  const last = joined[joined.length - 1];
  if (last && !text.slice(last.end).trim()) {
    const kept = text.slice(0, last.start).replace(/(?:\r?\n)+$/, '').length;
    if (kept > 0) Object.assign(last, { start: kept + newlineOf(text).length, end: text.length });
  }
  return joined;
}

/**
 * Without a `beat_schedule = {...}` literal, one `<app>.conf.beat_schedule["skene-<id>"] = {...}` statement per entry.
 * A re-run updates a loop's statements in place (and the comment above that repeats the cron) instead of appending
 * them again, adds a split cron's second one right after the first, and removes the ones the loop no longer has.
 */
function upsertStatements(module: PyModule, written: Map<string, Node>, entries: BeatEntry[], nl: string, quote: Quote): TextEdit[] {
  const text = module.text;
  // The project's name for its Celery instance (`celery_app = Celery(...)` too), else Celery's guide's `app`.
  const app = /^([A-Za-z_]\w*)\s*=\s*(?:celery\.)?Celery\(/m.exec(text)?.[1] ?? 'app';
  const statementOf = (e: BeatEntry) => {
    const code = entryCode(e, '', nl, quote);
    return `${app}.conf.beat_schedule[${pyString(e.key, quote)}] = {${code.slice(code.indexOf('{') + 1)}`;
  };
  const edits: TextEdit[] = [];
  const appended: string[] = [];
  entries.forEach((entry, i) => {
    const existing = written.get(entry.key);
    if (existing) {
      if (existing.text !== statementOf(entry)) edits.push(replaceNode(existing, statementOf(entry)));
      const comment = skeneCommentAbove(existing, entry.loop.id);
      if (comment && comment.text !== `# ${entryComment(entry)}`) edits.push(replaceNode(comment, `# ${entryComment(entry)}`));
      return;
    }
    const before = entries[i - 1]?.loop.id === entry.loop.id ? written.get(entries[i - 1]?.key ?? '') : undefined;
    if (before) edits.push({ start: before.endIndex, end: before.endIndex, text: `${nl}# ${entryComment(entry)}${nl}${statementOf(entry)}` });
    else appended.push(`# ${entryComment(entry)}`, statementOf(entry));
  });
  if (appended.length) edits.push(appendBlock(module, appended));
  for (const loop of new Set(entries.map((e) => e.loop))) {
    const count = entries.filter((e) => e.loop === loop).length;
    for (const extra of extraEntries([...written.entries()], loop.id, count)) edits.push(removeElement(text, extra, skeneCommentAbove(extra, loop.id)));
  }
  return edits;
}

/** Module-level `<app>.conf.beat_schedule["<key>"] = {...}` statements, by key. */
function assignedEntries(module: PyModule): Map<string, Node> {
  const found = new Map<string, Node>();
  for (const statement of module.tree.rootNode.namedChildren) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    if (left?.type !== 'subscript' || !/\.conf\.beat_schedule$/.test(left.childForFieldName('value')?.text ?? '')) continue;
    const key = stringValue(left.childForFieldName('subscript'));
    if (key !== null) found.set(key, statement);
  }
  return found;
}

/** The package that holds the settings module ("config" for config.settings.dev), as a folder. */
export function projectPackage(ctx: GeneratorContext): { name: string; dir: string } | null {
  const module = ctx.project.settings.module;
  const file = ctx.project.settings.files[0];
  if (!module || !file) return null;
  const segments = module.split('.');
  const parts = file.split('/');
  const dir = parts.slice(0, parts.length - segments.length + 1).join('/');
  return { name: segments[0] ?? '', dir };
}

export function createCeleryApp(ctx: GeneratorContext, assets: GeneratorAssets, edits: EditSet, entries: BeatEntry[], timezone: string): GeneratedFile | null {
  const pkg = projectPackage(ctx);
  if (!pkg) {
    ctx.notes.push({ severity: 'warning', message: 'The settings module is unknown, so no Celery app was created; create one (Celery\'s Django guide) and register skene_retention.run_loop in its beat schedule.' });
    return null;
  }
  const nl = '\n';
  const body = entries.map((e) => `    # ${entryComment(e)}${nl}    ${entryCode(e, '    ', nl)},`).join(nl);
  const contents = render(assets, 'django/celery.py.ejs', { settingsModule: pyString(ctx.project.settings.module ?? ''), appName: pyString(pkg.name), timeZone: pyString(timezone), entries: body });
  const initPath = `${pkg.dir}/__init__.py`;
  const init = ctx.readFile(initPath);
  if (init !== null && !/\bcelery_app\b/.test(init)) {
    const snippet = render(assets, 'django/celery_import.py.ejs', {});
    edits.add(initPath, [{ start: init.length, end: init.length, text: `${init.length && !init.endsWith('\n') ? '\n' : ''}${init.trim() ? '\n' : ''}${snippet}` }], 'loads the Celery app when Django starts');
  }
  return { path: `${pkg.dir}/celery.py`, contents, ownership: 'owned', reason: CELERY_APP_REASON };
}

/** Celery's time zone as the project configures it (CELERY_TIMEZONE, app.conf.timezone), else UTC (Celery's default). */
export async function celeryTimezone(ctx: GeneratorContext): Promise<string> {
  const celery = ctx.project.celery;
  if (!celery) return 'UTC';
  const names = [celery.namespace ? `${celery.namespace}_TIMEZONE` : 'timezone', 'CELERY_TIMEZONE'];
  let found: string | null = null;
  for (const file of ctx.project.settings.files) {
    const module = await moduleFor(ctx, file);
    for (const name of names) {
      const value = module ? topLevelValue(module, name) : null;
      if (value?.type === 'identifier' && value.text === 'TIME_ZONE') found = ctx.project.settings.timeZone ?? found;
      else found = stringValue(value) ?? found;
    }
  }
  const appText = celery.file ? ctx.readFile(celery.file) ?? '' : '';
  const conf = /\.conf\.(?:timezone\s*=|update\([^)]*\btimezone\s*=)\s*(['"])([^'"]+)\1/.exec(appText);
  return conf?.[2] ?? found ?? 'UTC';
}
