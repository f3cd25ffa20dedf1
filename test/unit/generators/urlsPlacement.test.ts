/**
 * Where the unsubscribe route goes in URLconfs shaped as public projects write them (patterns seen on
 * Django-Styleguide-Example, wger and healthchecks; the projects' code is not copied here):
 * `[...] + static(...)` then `urlpatterns = Toolbar.do_urls(urlpatterns)`; `i18n_patterns(...)` then
 * `urlpatterns += [...]`; every route under a `prefix` read from settings.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { prefixedPattern, routesList } from '../../../generators/django/routesList';
import { pyString } from '../../../generators/python/pySyntax';
import { parseModule } from '../../../generators/python/pyTree';
import { planInit } from '../../../generators/planInit';
import type { InitPlan } from '../../../generators/types';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import type { ProjectModel } from '../../../server/core/django/projectModel';
import { diskReader, EXAMPLE_DIR } from './planKit';

let project: ProjectModel | null = null;

/** examples/saas with its config/urls.py replaced. */
async function planWithUrls(urls: string): Promise<InitPlan> {
  await loadSqlParser();
  project ??= await analyzeProject(EXAMPLE_DIR);
  const disk = diskReader(EXAMPLE_DIR);
  return planInit(project, {}, (rel) => (rel === 'config/urls.py' ? urls : disk(rel)));
}

const urlsAfter = (p: InitPlan) => p.files.find((f) => f.path === 'config/urls.py')?.after ?? null;
const byHand = (p: InitPlan) => p.notes.some((n) => n.message.includes('by hand'));

const HEAD = 'from django.conf import settings\nfrom django.urls import include, path\n\n';

describe('the unsubscribe route in real URLconf shapes', () => {
  test('[...] + static(...), later wrapped by a function of urlpatterns: into the list', async () => {
    const urls = `${HEAD}urlpatterns = [\n    path("admin/", admin.site.urls),\n    path("api/", include("api.urls")),\n] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)\n\nurlpatterns = Toolbar.do_urls(urlpatterns)\n`;
    const p = await planWithUrls(urls);
    assert.equal(byHand(p), false);
    assert.equal(urlsAfter(p), urls.replace('    path("api/", include("api.urls")),\n', '    path("api/", include("api.urls")),\n    path("skene/", include("skene_retention.urls")),\n'));
  });

  test('i18n_patterns(...) then urlpatterns += [...]: into the list without a language prefix, not the DEBUG one', async () => {
    const urls = `${HEAD}urlpatterns = i18n_patterns(\n    path('', include('core.urls')),\n)\n\nurlpatterns += [\n    path('api/', include('api.urls')),\n]\n\nif settings.DEBUG:\n    urlpatterns += [path('debug/', include('debug.urls'))]\n`;
    const p = await planWithUrls(urls);
    assert.equal(urlsAfter(p), urls.replace("    path('api/', include('api.urls')),\n", "    path('api/', include('api.urls')),\n    path('skene/', include('skene_retention.urls')),\n"));
  });

  test('every route under a settings prefix: the route is too, written as they write it', async () => {
    const urls = `${HEAD}prefix = settings.SITE_PREFIX\n\nurlpatterns = [\n    path(f"{prefix}admin/", admin.site.urls),\n    path(prefix, include("accounts.urls")),\n    path(prefix, include("api.urls")),\n]\n`;
    const p = await planWithUrls(urls);
    assert.equal(urlsAfter(p), urls.replace('    path(prefix, include("api.urls")),\n', '    path(prefix, include("api.urls")),\n    path(f"{prefix}skene/", include("skene_retention.urls")),\n'));
    assert.match(p.files.find((f) => f.path === 'config/urls.py')?.reason ?? '', /under the prefix of its routes/);
  });

  test('the routes\' own quotes win over the file\'s (taiga: single-quoted routes, double-quoted settings strings)', async () => {
    const urls = `${HEAD}urlpatterns = [\n    path('api/v1/', include(router.urls)),\n    path('admin/', admin.site.urls),\n]\n\nhandler500 = "a.views.error"\nhandler404 = "a.views.missing"\nTITLE = "x"\n`;
    const p = await planWithUrls(urls);
    assert.equal(urlsAfter(p), urls.replace("    path('admin/', admin.site.urls),\n", "    path('admin/', admin.site.urls),\n    path('skene/', include('skene_retention.urls')),\n"));
  });

  test('a list reassigned from scratch: only the last one counts; none at module level: by hand', async () => {
    const reassigned = await parseModule('urlpatterns = [path("old/", v)]\nurlpatterns = [path("new/", v)]\n');
    assert.equal(routesList(reassigned)?.text, '[path("new/", v)]');
    const conditional = await planWithUrls(`${HEAD}if settings.API:\n    urlpatterns = [path("api/", include("api.urls"))]\nelse:\n    urlpatterns = []\n`);
    assert.equal(byHand(conditional), true);
  });

  test('prefix forms: f-string, concatenation, bare; plain literal routes keep a literal', async () => {
    const list = async (text: string) => routesList(await parseModule(`urlpatterns = ${text}\n`))!;
    const quoted = (t: string) => pyString(t, "'");
    assert.equal(prefixedPattern(await list("[path(settings.BASE + 'a/', v), path(settings.BASE + 'b/', v)]"), 'skene/', quoted), "settings.BASE + 'skene/'");
    assert.equal(prefixedPattern(await list('[path(p, include(a)), path(p, include(b))]'), 'skene/', quoted), "f'{p}skene/'");
    assert.equal(prefixedPattern(await list("[path('a/', v), path('b/', v), path(f'{p}c/', v)]"), 'skene/', quoted), null);
    assert.equal(prefixedPattern(await list("[path(f'{p}a/{x}', v), path(f'{p}b/', v)]"), 'skene/', quoted), "f'{p}skene/'");
  });
});
