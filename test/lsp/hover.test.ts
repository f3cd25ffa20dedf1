import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver-protocol';
import { withCursor } from './support/cursor';
import { copyExampleProject } from './support/exampleProject';
import { CLEAN_CONFIG } from './support/fixtures';
import { PULL_CLIENT, startSession } from './support/session';

/** Hover at the `|` in a one-line change of the clean config. */
async function hoverAt(t: TestContext, search: string, marked: string) {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const uri = copy.uri('skene.config.ts');
  const { text, position } = withCursor(CLEAN_CONFIG.replace(search, marked));
  await session.open(uri, text);
  const hover = await session.hover(uri, position);
  return { hover, text, root: copy.root };
}

test('hover on a cron: words and the next three runs in the loop time zone (the project TIME_ZONE)', async (t) => {
  const { hover } = await hoverAt(t, "cron: '0 9 * * *'", "cron: '0 |9 * * *'");
  const lines = markdownOf(hover).split('\n');
  assert.deepEqual(lines.slice(0, 3), ['**Cron** `0 9 * * *`: At 09:00 (Europe/Paris)', '', 'Next runs:']);
  assert.equal(lines.length, 6);
  const days = lines.slice(3).map((line) => {
    const match = /^- (\d{4}-\d{2}-\d{2}) 09:00 \(Europe\/Paris\)$/.exec(line);
    assert.ok(match, line);
    return Date.parse(`${match[1]}T00:00:00Z`);
  });
  assert.deepEqual(days.slice(1).map((d, i) => (d - (days[i] ?? 0)) / 86_400_000), [1, 1]);
  assert.deepEqual(hover?.range, { start: { line: 5, character: 39 }, end: { line: 5, character: 50 } });
});

test('hover on {{user.first_name}}: the Django field, its model, and (inherited) the class that has it', async (t) => {
  const { hover, root } = await hoverAt(t, '{{user.first_name}}', '{{user.fir|st_name}}');
  const link = `${pathToFileURL(`${root}/accounts/models.py`).href}#L5`;
  assert.deepEqual(hover?.contents, {
    kind: 'markdown',
    value: `**accounts.User.first_name** — \`CharField\`\n\ntable \`accounts_user\`, column \`first_name\` · inherited from \`AbstractUser\`\n\n[accounts/models.py:5](${link})`,
  });
  assert.deepEqual(hover?.range, { start: { line: 7, character: 106 }, end: { line: 7, character: 116 } });
});

test('hover on a SQL column declared in the project links to its line in models.py', async (t) => {
  const { hover, root } = await hoverAt(t, 'SELECT id, email, first_name FROM', 'SELECT id, email, first_name, comp|any FROM');
  const link = `${pathToFileURL(`${root}/accounts/models.py`).href}#L8`;
  assert.deepEqual(markdownOf(hover), `**accounts.User.company** — \`CharField\`\n\ntable \`accounts_user\`, column \`company\`\n\n[accounts/models.py:8](${link})`);
});

test('hover on a table name: its model and columns', async (t) => {
  const { hover } = await hoverAt(t, 'FROM accounts_user', 'FROM accounts_u|ser');
  const value = markdownOf(hover);
  assert.equal(value.split('\n')[0], '**accounts.User** (AUTH_USER_MODEL) — table `accounts_user`');
  assert.match(value, /Columns: `id`, `password`, .*`marketing_opt_in`/);
  assert.match(value, /\[accounts\/models\.py:5\]\(file:\/\/.*accounts\/models\.py#L5\)$/);
});

test('hover on a duration and on a key', async (t) => {
  const { hover } = await hoverAt(t, "timeout: '10m'", "timeout: '1|0m'");
  assert.deepEqual(hover?.contents, { kind: 'markdown', value: '**10m** = 10 minutes' });
  const nothing = await hoverAt(t, "type: 'retention'", "type: 'retention',|");
  assert.equal(nothing.hover, null);
  const onKey = await hoverAt(t, "timeout: '10m'", "timeo|ut: '10m'");
  assert.deepEqual(onKey.hover?.contents, { kind: 'markdown', value: "**timeout** — Statement timeout of the query (a whole number followed by s, m, h, d or w, e.g. '10m', '36h', '7d')" });
});

function markdownOf(hover: Hover | null): string {
  const contents = hover?.contents;
  return contents && typeof contents === 'object' && 'kind' in contents ? contents.value : '';
}
