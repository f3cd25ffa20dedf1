/** Adds `path("skene/", include("skene_retention.urls"))` to ROOT_URLCONF's urlpatterns, for the unsubscribe link. */
import { insertElement } from '../python/insertItems';
import { pyString } from '../python/pySyntax';
import { elementsOf, importLineEdit, importedNames, preferredQuote, stringValue, topLevelValue, type PyModule } from '../python/pyTree';
import type { TextEdit } from '../python/textEdits';
import type { GeneratorContext } from '../types';
import type { EditSet } from './fileEdits';
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

/** Adds names to an existing `from django.urls import ...`, or a new import line after the others. */
function importUrlsNames(module: PyModule, names: string[]): TextEdit {
  const existing = module.tree.rootNode.namedChildren.find((s) => s.type === 'import_from_statement' && s.childForFieldName('module_name')?.text === 'django.urls');
  const first = existing?.childForFieldName('name');
  if (first) return { start: first.startIndex, end: first.startIndex, text: `${names.join(', ')}, ` };
  return importLineEdit(module, `from django.urls import ${names.join(', ')}`);
}

export async function addUnsubscribeUrl(ctx: GeneratorContext, edits: EditSet, app: string): Promise<void> {
  const file = await rootUrlconfFile(ctx);
  const module = file ? await moduleFor(ctx, file) : null;
  const list = module ? topLevelValue(module, 'urlpatterns') : null;
  if (!file || !module || list?.type !== 'list') {
    ctx.notes.push({ severity: 'warning', message: `Add path("${UNSUBSCRIBE_PREFIX}", include("${app}.urls")) to your urlpatterns by hand: the unsubscribe link needs it.` });
    return;
  }
  if (module.text.includes(`${app}.urls`)) return;
  const quote = preferredQuote(elementsOf(list).flatMap((e) => e.namedChildren.find((c) => c.type === 'argument_list')?.namedChildren ?? []));
  const names = importedNames(module);
  const out: TextEdit[] = [];
  const missing = ['include', 'path'].filter((n) => names.get(n) !== `django.urls.${n}`);
  if (missing.length) out.push(importUrlsNames(module, missing));
  const item = `path(${pyString(UNSUBSCRIBE_PREFIX, quote)}, include(${pyString(`${app}.urls`, quote)}))`;
  out.push(...insertElement(module.text, list, item));
  edits.add(file, out, 'routes the unsubscribe link to skene_retention');
}
