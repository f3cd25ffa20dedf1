/**
 * `skene init --scheduler celery` on a project that does not declare Celery: the generated Celery app
 * imports it at start-up, so Celery goes into the file the project declares its dependencies in (the one
 * naming Django), as one line in that file's own form. Nothing is edited when no such file is found: the
 * plan says what to add.
 */
import type { TextEdit } from '../python/textEdits';
import type { GeneratorContext } from '../types';
import type { EditSet } from './fileEdits';

export const CELERY_REQUIREMENT = 'celery>=5.2';

const REQUIREMENT_FILES = ['requirements.txt', 'requirements/base.txt', 'requirements/common.txt', 'requirements/production.txt', 'requirements/prod.txt', 'requirements.in', 'requirements/base.in'];
const DJANGO_LINE = /^\s*django\s*(?:[=<>~!;[]|$)/im;
const CELERY_LINE = /^\s*["']?celery\b(?!-)/im;

function appendLine(text: string, line: string): TextEdit {
  const nl = text.includes('\r\n') ? '\r\n' : '\n';
  const lead = text.length && !text.endsWith('\n') ? nl : '';
  return { start: text.length, end: text.length, text: `${lead}${line}${nl}` };
}

/** Offset of the `]` closing the array that opens at `open` (TOML strings may hold brackets: `psycopg[binary]`). */
function closingBracket(text: string, open: number): number {
  let quote: string | null = null;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else if (c === ']') return i;
  }
  return -1;
}

/** `dependencies = [...]` of PEP 621's [project] table, or Poetry's [tool.poetry.dependencies]. */
function pyprojectEdit(text: string): TextEdit | null {
  const project = /^\[project\][^\S\n]*\r?\n/m.exec(text);
  if (project) {
    const start = project.index + project[0].length;
    const tail = text.slice(start);
    const nextTable = /^\[/m.exec(tail)?.index ?? tail.length;
    const deps = /^dependencies\s*=\s*\[/m.exec(tail.slice(0, nextTable));
    const open = deps ? start + deps.index + deps[0].length - 1 : -1;
    const close = open >= 0 ? closingBracket(text, open) : -1;
    if (close >= 0) {
      const items = text.slice(open + 1, close);
      const quote = /'/.test(items) && !/"/.test(items) ? "'" : '"';
      const item = `${quote}${CELERY_REQUIREMENT}${quote}`;
      if (!items.includes('\n')) return { start: close, end: close, text: `${items.trim() ? (items.trim().endsWith(',') ? ' ' : ', ') : ''}${item}` };
      const indent = /\n([ \t]+)\S/.exec(items)?.[1] ?? '    ';
      const body = items.replace(/\s+$/, '');
      const at = open + 1 + body.length;
      return { start: at, end: at, text: `${body.trim() && !body.endsWith(',') ? ',' : ''}\n${indent}${item},` };
    }
  }
  const poetry = /^\[tool\.poetry\.dependencies\][^\S\n]*\r?\n/m.exec(text);
  if (poetry) {
    const start = poetry.index + poetry[0].length;
    const tail = text.slice(start);
    const end = /^\s*\[/m.exec(tail)?.index ?? tail.length;
    const at = start + tail.slice(0, end).replace(/\s+$/, '').length;
    return { start: at, end: at, text: `\ncelery = ">=5.2"` };
  }
  return null;
}

export function addCeleryDependency(ctx: GeneratorContext, edits: EditSet): void {
  const reason = 'declares Celery, which the Celery app Initialize adds needs';
  const files = REQUIREMENT_FILES.map((path) => ({ path, text: ctx.readFile(path) })).filter((f): f is { path: string; text: string } => f.text !== null);
  if (files.some((f) => CELERY_LINE.test(f.text))) return;
  const pyproject = ctx.readFile('pyproject.toml');
  if (pyproject !== null && CELERY_LINE.test(pyproject)) return;
  const requirements = files.find((f) => DJANGO_LINE.test(f.text)) ?? files[0];
  const tomlEdit = pyproject !== null ? pyprojectEdit(pyproject) : null;
  // The file that names Django is where the project keeps its runtime dependencies.
  if (tomlEdit && !(requirements && DJANGO_LINE.test(requirements.text))) {
    edits.add('pyproject.toml', [tomlEdit], reason);
    return;
  }
  if (requirements) {
    edits.add(requirements.path, [appendLine(requirements.text, CELERY_REQUIREMENT)], reason);
    return;
  }
  ctx.notes.push({ severity: 'warning', message: `No requirements file or pyproject.toml dependency list was found: add ${CELERY_REQUIREMENT} (and a broker client such as redis) to the project's dependencies.` });
}
