/**
 * A Python file that stops parsing in the editor gets a diagnostic on the file itself (line of the error,
 * "Skene keeps the last good reading of this file"), while the project keeps its last good reading; the
 * diagnostic goes away when the file parses again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { copyExampleProject } from './support/exampleProject';
import { PULL_CLIENT, startSession } from './support/session';

test('a broken models.py: a warning on its error line, the last good reading kept, cleared once fixed', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const uri = copy.uri('accounts/models.py');
  const models = readFileSync(copy.file('accounts/models.py'), 'utf8');
  await session.open(uri, models);

  const lines = models.split('\n');
  const at = lines.findIndex((l) => /^class \w+\(/.test(l)) + 1;
  lines.splice(at, 0, '    company = models.CharField(max_length=');
  const broken = session.published(uri, (p) => p.diagnostics.length > 0);
  await session.change(uri, lines.join('\n'));
  const [diagnostic, ...rest] = (await broken).diagnostics;
  assert.deepEqual(rest, []);
  assert.equal(diagnostic?.code, 'project-stale-reading');
  assert.equal(diagnostic?.source, 'skene');
  assert.match(diagnostic?.message ?? '', /^Syntax error at line \d+: Skene keeps the last good reading of this file/);
  assert.ok((diagnostic?.range.start.line ?? -1) >= at, JSON.stringify(diagnostic?.range));

  const cleared = session.published(uri, (p) => p.diagnostics.length === 0);
  await session.change(uri, models);
  assert.deepEqual((await cleared).diagnostics, []);
});
