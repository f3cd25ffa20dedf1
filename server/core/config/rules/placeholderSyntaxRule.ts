/**
 * `unclosed-placeholder`: `{{user.first_name` (or `{{user.first_name}`) without its closing `}}` is sent
 * to users as written. Each opening `{{` must close before the next one opens or the text ends; the fix
 * closes it right after the name.
 */
import type { RawIssue } from '../issue';
import type { LoopRoot } from '../readConfigSource';
import { quoteString } from '../textFixes';
import { stringOffset, type StringNode } from '../valueTree';
import { placeholderStrings } from './personalizationRule';

export function checkPlaceholderSyntax(root: LoopRoot): RawIssue[] {
  return placeholderStrings(root).flatMap((node) => unclosedIn(node));
}

function unclosedIn(node: StringNode): RawIssue[] {
  const issues: RawIssue[] = [];
  const text = node.value;
  for (let open = text.indexOf('{{'); open >= 0; open = text.indexOf('{{', open + 2)) {
    const nextOpen = text.indexOf('{{', open + 2);
    const close = text.indexOf('}}', open + 2);
    if (close >= 0 && (nextOpen < 0 || close < nextOpen)) continue;
    // The name runs to the first character that cannot be part of `user.field` (a single `}` is replaced).
    const name = /^\s*[A-Za-z0-9_.]*\s*/.exec(text.slice(open + 2))?.[0] ?? '';
    const nameEnd = open + 2 + name.length;
    const single = text[nameEnd] === '}' ? 1 : 0;
    const written = text.slice(open, nameEnd).trimEnd();
    const closed = `${written}}}`;
    const start = stringOffset(node, open);
    const end = stringOffset(node, nameEnd + single);
    issues.push({
      code: 'unclosed-placeholder',
      severity: 'error',
      message: `'${text.slice(open, nameEnd + single)}' is missing its closing '}}', so it would be sent as written. Close it: '${closed}'.`,
      start,
      end,
      fixes: [{ title: `Close the placeholder: ${closed}`, edits: [{ start, end, newText: quoteString(closed, node.quote).slice(1, -1) }] }],
      data: { placeholder: written },
    });
  }
  return issues;
}
