/**
 * Fixes the checker leaves to the editor because they need more than a text edit in the config: the
 * missing email template's files (created in the project), and the SELECT rewrite of a DELETE/UPDATE
 * condition. Both are built from the issue's code, data and range and the parsed loops, never its message.
 */
import type { CheckResult } from '../config/checkConfig';
import type { IssueData } from '../config/issue';
import { quoteString } from '../config/textFixes';
import { stringAt, stringOffset, valueAt } from '../config/valueTree';
import { emailTemplateStub } from './emailTemplateStub';
import { rewriteAsSelect } from './rewriteAsSelect';

export interface NewFile {
  /** Relative to the project root, `/`-separated. */
  path: string;
  content: string;
}

/** The files for a `missing-template` issue (`data.expectedFiles`: the .html and .txt paths). */
export function missingTemplateFiles(result: CheckResult, data: IssueData | undefined): NewFile[] {
  const template = typeof data?.template === 'string' ? data.template : null;
  const expected = Array.isArray(data?.expectedFiles) ? data.expectedFiles.filter((f): f is string => typeof f === 'string') : [];
  if (!template || !expected.length) return [];
  const personalization = personalizationKeys(result, template);
  return expected.map((file) => ({ path: file, content: emailTemplateStub(template, file.endsWith('.html') ? 'html' : 'text', personalization) }));
}

function personalizationKeys(result: CheckResult, template: string): string[] {
  const keys = new Set<string>();
  for (const loop of result.loops) {
    const steps = valueAt(loop.tree, ['steps']);
    if (steps?.kind !== 'array') continue;
    steps.elements.forEach((_, i) => {
      if (stringAt(loop.tree, ['steps', i, 'action', 'template'])?.value !== template) return;
      const values = valueAt(loop.tree, ['steps', i, 'action', 'personalization']);
      if (values?.kind === 'object') for (const p of values.properties) keys.add(p.key);
    });
  }
  return [...keys];
}

/** For `sql-not-select` at `offset`: the edit turning the query literal's DELETE/UPDATE into a SELECT. */
export function rewriteQueryEdit(result: CheckResult, offset: number): { start: number; end: number; newText: string } | null {
  for (const loop of result.loops) {
    for (const path of [['steps', 0, 'condition', 'query'], ['exit', 'query']]) {
      const node = stringAt(loop.tree, path);
      if (!node || offset < node.span.start || offset > node.span.end) continue;
      const query = rewriteAsSelect(node.value);
      if (!query) return null;
      return { start: node.contentStart, end: stringOffset(node, node.value.length), newText: quoteString(query, node.quote).slice(1, -1) };
    }
  }
  return null;
}
