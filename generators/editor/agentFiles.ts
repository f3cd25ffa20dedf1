/**
 * `.cursor/rules/skene.mdc` (Cursor's project rules: front matter + markdown) and a marked section in
 * AGENTS.md for agents that read that file, written only by choice (`skene init --agents`, the editor asks).
 * Both name the project's real user table and fields, and commands that work as written from the repository
 * root: `cd <project folder> && npx --yes skene-django …` (the npm package needs no install step).
 */
import { CLI_PACKAGE, GENERATED_MANIFEST_FILE } from '../../sdk/generated';
import { isSensitiveFieldName } from '../../server/protocol';
import type { GeneratorAssets } from '../assets';
import { activityFeed, type LoopTarget } from '../loopTarget';
import { render } from '../render';
import { AGENT_CLI, AGENTS_FILE, cdPrefix, CURSOR_RULE_FILE } from '../../server/protocol';
import { folderFromRepositoryRoot } from './commandFolder';
import type { GeneratedFile, GeneratorContext } from '../types';
import { isColumn } from '../../server/core/django/columnFields';

export { AGENTS_FILE, CURSOR_RULE_FILE };
const START = '<!-- skene:start -->';
/** The marker of sections written before `skene:start` (still found, and replaced, on a re-run). */
const LEGACY_START = '<!-- skene:begin';
const END = '<!-- skene:end -->';

/** The agent files are written when chosen, and kept current once Initialize has written them. */
export function wantsAgentFiles(ctx: GeneratorContext): boolean {
  return ctx.options.agents || ctx.previous.regions[`${AGENTS_FILE}#skene`] !== undefined || ctx.previous.files[CURSOR_RULE_FILE] !== undefined;
}

function sectionStart(text: string): number {
  const start = text.indexOf(START);
  return start >= 0 ? start : text.indexOf(LEGACY_START);
}

/** Markdown inline code that survives backticks and newlines in a name. */
function code(text: string): string {
  return text.replace(/[`\r\n]/g, '');
}

function facts(ctx: GeneratorContext, target: LoopTarget, templateDir: string): Record<string, string> {
  const store = target.store;
  const folder = ctx.options.commandDir ?? folderFromRepositoryRoot(ctx.project.root);
  // Credential columns (password hash, tokens) are never listed as usable: the checker rejects them.
  const fields = ctx.project.userModel?.fields.filter(isColumn).filter((f) => !isSensitiveFieldName(f.column)).map((f) => f.column) ?? [];
  // List the columns as they are after Initialize (the added field last, where the model declares it),
  // so a re-run on the initialized project writes the same file.
  if (store.kind === 'user-column' && !fields.includes(store.column)) fields.push(store.column);
  return {
    userLabel: code(target.userLabel),
    userTable: code(target.user.table),
    columns: fields.map((c) => `\`${code(c)}\``).join(', ') || '(unknown)',
    activityTable: code(store.kind === 'user-column' ? target.user.table : store.table),
    activityColumn: code(store.column),
    feed: activityFeed(target),
    idColumn: code(target.user.id),
    emailColumn: code(target.user.email),
    templateDir: code(templateDir),
    manifestFile: GENERATED_MANIFEST_FILE,
    folder: code(folder),
    cd: code(cdPrefix(folder)),
    skene: AGENT_CLI,
  };
}

export function cursorRule(ctx: GeneratorContext, assets: GeneratorAssets, target: LoopTarget, templateDir: string): GeneratedFile {
  return {
    path: CURSOR_RULE_FILE,
    contents: render(assets, 'editor/skene.mdc.ejs', facts(ctx, target, templateDir)),
    ownership: 'owned',
    reason: `Tells Cursor's agent how loops work here and to run \`npx ${CLI_PACKAGE} check --format json\` after edits (you chose agent files).`,
  };
}

export interface RegionResult {
  file: GeneratedFile;
  /** The section text, recorded so that an edit inside it is detected next time. */
  section: string;
  conflict: boolean;
}

/** AGENTS.md with the Skene section created, appended, or replaced when it still reads as Initialize wrote it. */
export function agentsSection(ctx: GeneratorContext, assets: GeneratorAssets, target: LoopTarget, templateDir: string): RegionResult {
  const section = render(assets, 'editor/agents_section.md.ejs', facts(ctx, target, templateDir)).trimEnd();
  const current = ctx.readFile(AGENTS_FILE);
  const reason = 'A marked Skene section for agents that read AGENTS.md (you chose agent files).';
  if (current === null) {
    return { file: { path: AGENTS_FILE, contents: `# Agent notes\n\n${section}\n`, ownership: 'edit', reason }, section, conflict: false };
  }
  const start = sectionStart(current);
  const end = start < 0 ? -1 : current.indexOf(END, start);
  if (start < 0 || end < 0) {
    const sep = current.endsWith('\n\n') ? '' : current.endsWith('\n') ? '\n' : '\n\n';
    return { file: { path: AGENTS_FILE, contents: `${current}${sep}${section}\n`, ownership: 'edit', reason }, section, conflict: false };
  }
  const existing = current.slice(start, end + END.length);
  const recorded = ctx.previous.regions[`${AGENTS_FILE}#skene`];
  const conflict = existing !== section && existing !== recorded;
  return { file: { path: AGENTS_FILE, contents: current.slice(0, start) + section + current.slice(end + END.length), ownership: 'edit', reason }, section, conflict };
}
