/**
 * Where in a URLconf the project's own, unconditional routes are, and how they are prefixed. Real projects
 * rarely have one plain `urlpatterns = [...]`:
 * - `urlpatterns = [...] + static(settings.MEDIA_URL, ...)` (Django's docs, older cookiecutter-django);
 * - `urlpatterns = i18n_patterns(...)` then `urlpatterns += [...]` for the routes without a language prefix;
 * - `urlpatterns = Toolbar.do_urls(urlpatterns)` after the list, which keeps the list.
 * And some prefix every route with a variable read from settings (`path(f"{prefix}admin/", ...)`,
 * `path(prefix, include(...))`), so the site can live under a sub-path.
 */
import type { Node } from 'web-tree-sitter';
import { elementsOf, firstLiveList, stringValue, type PyModule } from '../python/pyTree';

/** The list the route goes into (see firstLiveList); null: the caller asks the user to add the route by hand. */
export function routesList(module: PyModule): Node | null {
  return firstLiveList(module, 'urlpatterns');
}

function callName(node: Node): string {
  return node.type === 'call' ? node.childForFieldName('function')?.text.split('.').pop() ?? '' : '';
}

/** The name (`prefix`, `settings.BASE_URL`) a route pattern starts with, and how it is joined to the rest. */
function patternPrefix(pattern: Node): { name: string; form: 'fstring' | 'concat' | 'bare' } | null {
  if (pattern.type === 'identifier' || pattern.type === 'attribute') return { name: pattern.text, form: 'bare' };
  if (pattern.type === 'string' && /^[fF]/.test(pattern.text)) {
    const first = pattern.namedChildren.find((c) => c.type !== 'string_start');
    const inner = first?.type === 'interpolation' ? first.namedChildren[0] : null;
    if (inner && (inner.type === 'identifier' || inner.type === 'attribute') && first?.namedChildren.length === 1) return { name: inner.text, form: 'fstring' };
    return null;
  }
  if (pattern.type === 'binary_operator' && pattern.childForFieldName('operator')?.text === '+') {
    const left = pattern.childForFieldName('left');
    if (left && (left.type === 'identifier' || left.type === 'attribute')) return { name: left.text, form: 'concat' };
  }
  return null;
}

/**
 * The prefix most of the list's path() routes start with, written the way they write it, for the route
 * `rest` (`f"{prefix}skene/"` or `settings.BASE + "skene/"`); null when most routes are plain literals.
 * `quoted` turns text into a string literal of the file's quote style.
 */
export function prefixedPattern(list: Node, rest: string, quoted: (text: string) => string): string | null {
  const routes = elementsOf(list).filter((e) => callName(e) === 'path');
  const prefixes = routes.map((route) => {
    const first = route.childForFieldName('arguments')?.namedChildren.find((c) => c.type !== 'comment') ?? null;
    return first && stringValue(first) === null ? patternPrefix(first) : null;
  });
  const counts = new Map<string, number>();
  for (const p of prefixes) if (p) counts.set(p.name, (counts.get(p.name) ?? 0) + 1);
  const [name, count] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
  if (routes.length < 2 || count * 2 <= routes.length) return null;
  const forms = prefixes.filter((p) => p?.name === name).map((p) => p?.form);
  if (forms.includes('fstring') || !forms.includes('concat')) return `f${quoted(`{${name}}${rest.replace(/[{}]/g, (c) => c + c)}`)}`;
  return `${name} + ${quoted(rest)}`;
}
