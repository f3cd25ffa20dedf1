import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Location } from 'vscode-languageserver-protocol';
import { withCursor } from './support/cursor';
import { copyInitializedProject, type ProjectCopy } from './support/exampleProject';
import { PULL_CLIENT, startSession, type TestSession } from './support/session';

let shared: Promise<ProjectCopy> | undefined;

/** One initialized copy for the file (Initialize takes seconds); each test opens its own session on it. */
async function initialized(t: TestContext): Promise<{ copy: ProjectCopy; session: TestSession; config: string }> {
  shared ??= copyInitializedProject();
  const copy = await shared;
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  return { copy, session, config: readFileSync(copy.file('skene.config.ts'), 'utf8') };
}

test.after(async () => (await shared)?.remove());

/** Opens the config with `search` replaced by `marked` (which holds the `|` cursor). */
async function openAt(t: TestContext, search: string, marked: string) {
  const { copy, session, config } = await initialized(t);
  assert.ok(config.includes(search), `config has ${search}`);
  const { text, position } = withCursor(config.replace(search, marked));
  const uri = copy.uri('skene.config.ts');
  await session.open(uri, text);
  return { copy, session, uri, text, position };
}

/** 0-based line of the first line of a project file containing `needle`. */
function lineOf(copy: ProjectCopy, file: string, needle: string, from = 0): number {
  const lines = readFileSync(copy.file(file), 'utf8').split('\n');
  const index = lines.findIndex((line, i) => i >= from && line.includes(needle));
  assert.ok(index >= 0, `${file} has ${needle}`);
  return index;
}

const brief = (locations: Location[], copy: ProjectCopy) => locations.map((l) => ({ file: l.uri.replace(`file://${copy.root}/`, ''), line: l.range.start.line, character: l.range.start.character }));

test('definition: a table after FROM goes to its model class', async (t) => {
  const { copy, session, uri, position } = await openAt(t, 'FROM accounts_user', 'FROM accounts_u|ser');
  const found = await session.definition(uri, position);
  assert.deepEqual(brief(found, copy), [{ file: 'accounts/models.py', line: lineOf(copy, 'accounts/models.py', 'class User('), character: 0 }]);
});

test('definition: a SQL column goes to the line of its field in models.py', async (t) => {
  const { copy, session, uri, position } = await openAt(t, "'there') AS first_name, timezone,", "'there') AS first_name, time|zone,");
  const found = await session.definition(uri, position);
  assert.deepEqual(brief(found, copy), [{ file: 'accounts/models.py', line: lineOf(copy, 'accounts/models.py', 'timezone = models.CharField'), character: 0 }]);
});

test('definition: {{user.first_name}} goes to the query alias (AS first_name) first, then the inherited field', async (t) => {
  const { copy, session, uri, text, position } = await openAt(t, "'{{user.first_name}}'", "'{{user.first_n|ame}}'");
  const found = await session.definition(uri, position);
  const aliasOffset = text.indexOf('AS first_name') + 3;
  const before = text.slice(0, aliasOffset).split('\n');
  assert.deepEqual(brief(found, copy), [
    { file: 'skene.config.ts', line: before.length - 1, character: (before[before.length - 1] ?? '').length },
    { file: 'accounts/models.py', line: lineOf(copy, 'accounts/models.py', 'class User('), character: 0 },
  ]);
});

test('hover on an aliased placeholder shows the expression the query selects', async (t) => {
  const { session, uri, position } = await openAt(t, "'{{user.first_name}}'", "'{{user.fi|rst_name}}'");
  const hover = await session.hover(uri, position);
  const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
  assert.equal(value.split('\n')[0], "**first_name** — column of the audience query: `COALESCE(NULLIF(first_name, ''), 'there') AS first_name`");
  assert.match(value, /\*\*accounts\.User\.first_name\*\* — `CharField`/);
});

test('definition: a template name goes to its .html and .txt', async (t) => {
  const { copy, session, uri, position } = await openAt(t, "template: 're_engagement'", "template: 're_eng|agement'");
  const found = await session.definition(uri, position);
  assert.deepEqual(brief(found, copy), [
    { file: 'templates/skene/emails/re_engagement.html', line: 0, character: 0 },
    { file: 'templates/skene/emails/re_engagement.txt', line: 0, character: 0 },
  ]);
});

test('definition: a loop id goes to loops.json and the Celery beat entry', async (t) => {
  const { copy, session, uri, position } = await openAt(t, "id: 'dormant-users'", "id: 'dormant-|users'");
  const found = await session.definition(uri, position);
  const settings = 'config/settings/base.py';
  const comment = lineOf(copy, settings, 'loop "dormant-users"');
  assert.deepEqual(brief(found, copy), [
    { file: 'skene_retention/loops.json', line: lineOf(copy, 'skene_retention/loops.json', '"id": "dormant-users"'), character: 13 },
    { file: settings, line: comment, character: readFileSync(copy.file(settings), 'utf8').split('\n')[comment]?.indexOf('dormant-users') ?? -1 },
    { file: settings, line: comment + 1, character: 11 },
    { file: settings, line: lineOf(copy, settings, '"args": ("dormant-users",)'), character: 18 },
  ]);
});

test('references: a column in the query and the placeholder that reads it, plus the field declaration', async (t) => {
  const { copy, session, uri, position, text } = await openAt(t, "NULLIF(first_name, '')", "NULLIF(first_|name, '')");
  const rows = brief(await session.references(uri, position, true), copy);
  const at = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { file: 'skene.config.ts', line: before.length - 1, character: (before[before.length - 1] ?? '').length };
  };
  assert.deepEqual(rows, [
    { file: 'accounts/models.py', line: lineOf(copy, 'accounts/models.py', 'class User('), character: 0 },
    at(text.indexOf('NULLIF(first_name') + 7),
    at(text.indexOf('{{user.first_name}}') + 7),
  ]);
});

test('references: a template name in every step and its files', async (t) => {
  const { copy, session, uri, position } = await openAt(t, "template: 're_engagement'", "template: 're_eng|agement'");
  const rows = brief(await session.references(uri, position, true), copy).map((r) => r.file);
  assert.deepEqual(rows, ['skene.config.ts', 'templates/skene/emails/re_engagement.html', 'templates/skene/emails/re_engagement.txt']);
});

test('nothing to go to: a keyword and a literal', async (t) => {
  const { session, uri, position } = await openAt(t, 'WHERE is_active', 'WHE|RE is_active');
  assert.deepEqual(await session.definition(uri, position), []);
});
