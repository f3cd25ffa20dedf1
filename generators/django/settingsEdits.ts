/**
 * INSTALLED_APPS and MIDDLEWARE insertions, placed where the analyzer found the literal lists (the base
 * file of a split settings package), one line each in the list's own style.
 */
import type { SourceLocation } from '../../server/core/django/projectModel';
import { insertElement } from '../python/insertItems';
import { pyString } from '../python/pySyntax';
import { elementsOf, firstLiveList, literalAt, parseModule, preferredQuote, propertyListAt, stringValue, type PyModule } from '../python/pyTree';
import type { GeneratorContext } from '../types';
import type { EditSet } from './fileEdits';

const AUTH_MIDDLEWARE = 'django.contrib.auth.middleware.AuthenticationMiddleware';
export const ACTIVITY_MIDDLEWARE = 'skene_retention.middleware.LastActivityMiddleware';

const modules = new Map<string, PyModule>();

/** Parsed settings/urls modules, shared by the edit generators of one plan (they edit the same text). */
export async function moduleFor(ctx: GeneratorContext, path: string): Promise<PyModule | null> {
  const text = ctx.readFile(path);
  if (text === null) return null;
  const key = `${path}\u0000${text}`;
  let module = modules.get(key);
  if (!module) {
    module = await parseModule(text);
    if (modules.size > 32) modules.clear();
    modules.set(key, module);
  }
  return module;
}

async function listAt(ctx: GeneratorContext, at: SourceLocation | undefined, what: string) {
  if (!at?.column) {
    ctx.notes.push({ severity: 'warning', message: `No literal ${what} list was found in the settings; add the Skene entry by hand.` });
    return null;
  }
  const module = await moduleFor(ctx, at.file);
  const located = module ? literalAt(module, at.line, at.column) : null;
  // Not a literal where the analyzer points (`INSTALLED_APPS = INSTALLED_APPS + SOCIAL_PROVIDERS` after the
  // list, as in Tandoor): the literal list that the final value still contains.
  const list = located && located.type !== 'dictionary' ? located : module ? firstLiveList(module, what) ?? propertyListAt(module, at.line) : null;
  if (!module || !list || list.type === 'dictionary') {
    ctx.notes.push({ severity: 'warning', message: `${what} in ${at.file}:${at.line} is not a literal list; add the Skene entry by hand.` });
    return null;
  }
  return { module, list };
}

export async function addInstalledApp(ctx: GeneratorContext, edits: EditSet, app: string): Promise<void> {
  const found = await listAt(ctx, ctx.project.settings.installedAppsAt, 'INSTALLED_APPS');
  if (!found) return;
  const elements = elementsOf(found.list);
  if (elements.some((e) => { const v = stringValue(e); return v === app || v?.startsWith(`${app}.`); })) return;
  const item = pyString(app, preferredQuote(elements));
  edits.add(ctx.project.settings.installedAppsAt?.file ?? '', insertElement(found.module.text, found.list, item), `adds ${app} to INSTALLED_APPS`);
}

export async function addActivityMiddleware(ctx: GeneratorContext, edits: EditSet): Promise<void> {
  const found = await listAt(ctx, ctx.project.settings.middlewareAt, 'MIDDLEWARE');
  if (!found) return;
  const elements = elementsOf(found.list);
  const values = elements.map((e) => stringValue(e));
  if (values.includes(ACTIVITY_MIDDLEWARE)) return;
  // `MIDDLEWARE.insert(8, ...)` later in the settings counts positions: an entry inserted before it would move
  // the project's middleware by one, so Skene's goes at the end then (it only needs to run after authentication).
  const positional = /^\s*MIDDLEWARE\.insert\(/m.test(found.module.text);
  const auth = positional ? -1 : values.indexOf(AUTH_MIDDLEWARE);
  if (auth < 0 && !values.includes(AUTH_MIDDLEWARE)) ctx.notes.push({ severity: 'warning', message: 'AuthenticationMiddleware is not in MIDDLEWARE; the activity middleware was added at the end. It counts the user your views authenticate (request.user, or Django\'s request._cached_user, after the view): check that a signed-in request moves last_activity_at.' });
  const item = pyString(ACTIVITY_MIDDLEWARE, preferredQuote(elements));
  edits.add(ctx.project.settings.middlewareAt?.file ?? '', insertElement(found.module.text, found.list, item, auth >= 0 ? auth : undefined), positional ? 'adds the last-activity middleware at the end (the settings insert into MIDDLEWARE by position)' : 'adds the last-activity middleware after AuthenticationMiddleware');
}
