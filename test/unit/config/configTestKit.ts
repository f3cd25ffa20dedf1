/**
 * Test kit for config checks. Fixture text marks expected ranges with ⟪ and ⟫ and a cursor with `|`
 * (prisma style); `mark()` strips them and returns the positions, so a case is one line of setup.
 */
import type { ProjectModel } from '../../../server/core/django/projectModel';
import { checkConfig, type CheckResult } from '../../../server/core/config/checkConfig';
import type { CheckOptions } from '../../../server/core/config/checkOptions';
import type { Issue, TextEdit } from '../../../server/core/config/issue';
import { TextIndex, type Range } from '../../../server/core/config/textIndex';
import { exampleProjectModel } from '../../fixtures/exampleProjectModel';

export interface Marked {
  text: string;
  ranges: Range[];
  cursor: number | null;
}

/** Strips ⟪range⟫ markers (and a `|` cursor when `cursor` is set), returning LSP ranges in the clean text. */
export function mark(source: string, options: { cursor?: boolean } = {}): Marked {
  let text = '';
  const starts: number[] = [];
  const spans: Array<[number, number]> = [];
  let cursor: number | null = null;
  for (const ch of source) {
    if (ch === '⟪') starts.push(text.length);
    else if (ch === '⟫') spans.push([starts.pop() ?? 0, text.length]);
    else if (ch === '|' && options.cursor && cursor === null) cursor = text.length;
    else text += ch;
  }
  const index = new TextIndex(text);
  return { text, ranges: spans.sort((a, b) => a[0] - b[0]).map(([s, e]) => index.rangeOf(s, e)), cursor };
}

export const NOW = new Date('2025-03-03T12:00:00Z');

export const EXISTING_TEMPLATES = [
  'skene/emails/re_engagement.html',
  'skene/emails/re_engagement.txt',
  'skene/emails/welcome_back.html',
];

export function defaultOptions(extra: CheckOptions = {}): CheckOptions {
  return { existingTemplates: EXISTING_TEMPLATES, now: NOW, ...extra };
}

export function check(text: string, project: ProjectModel | null = exampleProjectModel(), options: CheckOptions = defaultOptions()): CheckResult {
  return checkConfig(text, project, options);
}

/** Applies LSP edits to a text (last edit first, so earlier offsets stay valid). */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const index = new TextIndex(text);
  const sorted = edits
    .map((e) => ({ start: index.offsetAt(e.range.start), end: index.offsetAt(e.range.end), newText: e.newText }))
    .sort((a, b) => b.start - a.start);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.start) + edit.newText + out.slice(edit.end);
  return out;
}

/** The parts of an issue a table case asserts: code, severity, range and the first fix's text. */
export function summarize(issue: Issue): { code: string; severity: string; range: Range; fix: string | null } {
  return { code: issue.code, severity: issue.severity, range: issue.range, fix: issue.data?.fixes?.[0]?.edits[0]?.newText ?? null };
}

/** The project with some parts replaced (deep enough for the cases here). */
export function projectWith(change: (project: ProjectModel) => void): ProjectModel {
  const project = exampleProjectModel();
  change(project);
  return project;
}
