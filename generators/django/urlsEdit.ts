/**
 * Adds `path("skene/", include("skene_retention.urls"))` to ROOT_URLCONF's urlpatterns, for the unsubscribe
 * link, where the project's own routes live:
 * - inside a prefix include: `urlpatterns = [path(settings.BASE_PATH, include(_patterns))]` → into `_patterns`,
 *   so the link works under the site's base path;
 * - before a SPA catch-all (`re_path(r".*", ...)`, `path("<path:rest>", ...)`), which would otherwise answer
 *   the unsubscribe link with the frontend;
 * - with the `include` the file already imports (`django.urls` or `django.conf.urls`) and its quote style;
 * - in the first unconditional list of routes (`[...] + static(...)`, `urlpatterns += [...]` after
 *   `i18n_patterns(...)`), with the prefix most routes start with (`f"{prefix}skene/"`): routesList.ts.
 */
import type { Node } from 'web-tree-sitter';
import { insertBefore, insertElement } from '../python/insertItems';
import { DEFAULT_LINE_LENGTH, readProjectLint } from '../style/projectLint';
import { pyString } from '../python/pySyntax';
import { firstPartyPackages, placeImport } from '../python/importPlacement';
import { elementsOf, importedNames, majorityQuote, moduleQuote, stringValue, topLevelValue, type PyModule } from '../python/pyTree';
import type { TextEdit } from '../python/textEdits';
import type { GeneratorContext } from '../types';
import type { EditSet } from './fileEdits';
import { prefixedPattern, routesList } from './routesList';
import { moduleFor } from './settingsEdits';


export const UNSUBSCRIBE_PREFIX = 'skene/';

async function rootUrlconfFile(ctx: GeneratorContext): Promise<string | null> {
  for (const file of [...ctx.project.settings.files].reverse()) {
    const module = await moduleFor(ctx, file);
    const value = stringValue(module ? topLevelValue(module, 'ROOT_URLCONF') : null);
    if (!value) continue;
    const rel = `${value.replace(/\./g, '/')}.py`;
    const base = ctx.project.settings.files[0]?.split('/') ?? [];
    const prefix = base.slice(0, Math.max(0, base.length - (ctx.project.settings.module?.split('.').length ?? 0))).join('/');
    for (const candidate of [rel, prefix ? `${prefix}/${rel}` : rel]) if (ctx.readFile(candidate) !== null) return candidate;
  }
  return null;
}

/**
 * Adds names to an existing `from django.urls import a, b` (kept in isort's order: constants, classes, then
 * functions, each alphabetical), or a new import line in the third-party section.
 */
function importUrlsNames(module: PyModule, names: string[], firstParty: ReadonlySet<string>): TextEdit {
  const existing = module.tree.rootNode.namedChildren.find((s) => s.type === 'import_from_statement' && s.childForFieldName('module_name')?.text === 'django.urls');
  const current = existing?.childrenForFieldName('name').filter((n): n is Node => n !== null) ?? [];
  const first = current[0];
  const last = current[current.length - 1];
  if (first && last && current.every((n) => n.type === 'dotted_name') && first.startPosition.row === last.endPosition.row) {
    const all = [...current.map((n) => n.text), ...names].sort(isortNameOrder);
    return { start: first.startIndex, end: last.endIndex, text: all.join(', ') };
  }
  if (first) return { start: first.startIndex, end: first.startIndex, text: `${names.join(', ')}, ` };
  return placeImport(module, `from django.urls import ${names.join(', ')}`, 'django.urls', firstParty);
}

/** isort's order-by-type: CONSTANTS, then Classes, then functions; alphabetical within each. */
function isortNameOrder(a: string, b: string): number {
  const kind = (n: string) => (/^[A-Z0-9_]+$/.test(n) && n.length > 1 ? 0 : /^[A-Z]/.test(n) ? 1 : 2);
  return kind(a) - kind(b) || (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0);
}

function callName(node: Node): string {
  return node.type === 'call' ? node.childForFieldName('function')?.text.split('.').pop() ?? '' : '';
}

function callArgs(node: Node): Node[] {
  return node.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
}

/**
 * A route that answers every path: re_path/url with a pattern that is `.*` once anchors, groups and a
 * negative lookahead (`^(?!api/).*$`) are set aside, or path() with a `<path:...>` converter alone.
 */
export function isCatchAll(element: Node): boolean {
  const name = callName(element);
  const first = callArgs(element)[0];
  const pattern = stringValue(first ?? null);
  if (pattern === null) return false;
  if (name === 'path') return /^<path:\w+>\/?$/.test(pattern);
  if (name !== 're_path' && name !== 'url') return false;
  const core = pattern.replace(/^\^/, '').replace(/\$$/, '').replace(/^\(\?![^)]*\)/, '').replace(/^\((?:\?P<\w+>|\?:)?(.*)\)$/, '$1');
  return /^\.[*+]$/.test(core);
}

/** `path(<not a literal>, include(NAME))` where NAME is a list in this module: the project's prefixed routes. */
function prefixedList(module: PyModule, list: Node): Node | null {
  const elements = elementsOf(list);
  for (const element of elements) {
    if (callName(element) !== 'path' && callName(element) !== 're_path') continue;
    const [prefix, target] = callArgs(element);
    if (!prefix || !target || stringValue(prefix) !== null) continue;
    if (callName(target) !== 'include') continue;
    const name = callArgs(target)[0];
    if (name?.type !== 'identifier') continue;
    const inner = topLevelValue(module, name.text);
    if (inner?.type === 'list') return inner;
  }
  return null;
}

export async function addUnsubscribeUrl(ctx: GeneratorContext, edits: EditSet, app: string): Promise<void> {
  const file = await rootUrlconfFile(ctx);
  const module = file ? await moduleFor(ctx, file) : null;
  const top = module ? routesList(module) : null;
  if (!file || !module || !top) {
    ctx.notes.push({ severity: 'warning', message: `Add path("${UNSUBSCRIBE_PREFIX}", include("${app}.urls")) to your urlpatterns by hand: the unsubscribe link needs it.` });
    return;
  }
  if (module.text.includes(`${app}.urls`)) return;
  const list = prefixedList(module, top) ?? top;
  const names = importedNames(module);
  const out: TextEdit[] = [];
  const includeName = [...names].find(([, target]) => target === 'django.urls.include' || target === 'django.conf.urls.include')?.[0];
  const pathName = [...names].find(([, target]) => target === 'django.urls.path')?.[0];
  const missing = [...(includeName ? [] : ['include']), ...(pathName ? [] : ['path'])];
  if (missing.length) out.push(importUrlsNames(module, missing, firstPartyPackages(ctx.project.apps, ctx.project.settings.module)));
  const quote = majorityQuote(list) ?? moduleQuote(module);
  const prefixed = prefixedPattern(list, UNSUBSCRIBE_PREFIX, (text) => pyString(text, quote));
  const pattern = prefixed ?? pyString(UNSUBSCRIBE_PREFIX, quote);
  const item = `${pathName ?? 'path'}(${pattern}, ${includeName ?? 'include'}(${pyString(`${app}.urls`, quote)}))`;
  const catchAll = elementsOf(list).findIndex(isCatchAll);
  out.push(...(catchAll >= 0 ? insertBefore(module.text, list, item, catchAll) : insertElement(module.text, list, item, undefined, readProjectLint(ctx.readFile).lineLength ?? DEFAULT_LINE_LENGTH)));
  const where = [list !== top ? 'inside the prefixed include' : null, prefixed ? 'under the prefix of its routes' : null, catchAll >= 0 ? 'before the catch-all route' : null].filter(Boolean).join(', ');
  edits.add(file, out, `routes the unsubscribe link to skene_retention${where ? ` (${where})` : ''}`);
}
