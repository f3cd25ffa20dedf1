/**
 * `skene check` output: compiler-style text (`file:line:col: severity code: message`, the source line and a
 * caret line; VS Code's terminal makes the location clickable) or JSON for CI and agents. 1-based lines
 * and columns (UTF-16 columns, as the editor counts them).
 */
import type { Issue } from './issue';
import { TextIndex } from './textIndex';

export interface CliIssue {
  code: string;
  severity: Issue['severity'];
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export function toCliIssues(issues: Issue[], file: string): CliIssue[] {
  return issues.map((issue) => ({
    code: issue.code,
    severity: issue.severity,
    message: issue.message,
    file,
    line: issue.range.start.line + 1,
    column: issue.range.start.character + 1,
    endLine: issue.range.end.line + 1,
    endColumn: issue.range.end.character + 1,
  }));
}

export function formatIssuesJson(issues: Issue[], file: string): string {
  return `${JSON.stringify({ issues: toCliIssues(issues, file) }, null, 2)}\n`;
}

export function formatIssuesText(issues: Issue[], file: string, text: string): string {
  const index = new TextIndex(text);
  const blocks = issues.map((issue) => {
    const { start, end } = issue.range;
    const head = `${file}:${start.line + 1}:${start.character + 1}: ${issue.severity} ${issue.code}: ${issue.message}`;
    const line = index.lineText(start.line);
    const width = end.line === start.line ? Math.max(1, end.character - start.character) : Math.max(1, line.length - start.character);
    // Tabs stay tabs under the caret so it lines up in any terminal.
    const pad = line.slice(0, start.character).replace(/[^\t]/g, ' ');
    return `${head}\n  ${line}\n  ${pad}${'^'.repeat(width)}`;
  });
  return `${blocks.join('\n')}${blocks.length ? '\n' : ''}${summary(issues, file)}\n`;
}

function summary(issues: Issue[], file: string): string {
  if (!issues.length) return `${file}: no problems found`;
  const count = (severity: Issue['severity']) => issues.filter((i) => i.severity === severity).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`;
}
