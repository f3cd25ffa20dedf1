import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeProject } from '../../server/core/django/analyzeProject';
import { Requests } from '../../server/protocol';
import { makeTempDir, removeTempDir } from '../helpers/tempDir';
import { copyExampleProject } from './support/exampleProject';
import { PULL_CLIENT, startSession } from './support/session';

test('skene/analyze answers the same ProjectModel as `skene analyze --json`, and null outside a Django project', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const fromServer = await session.connection.sendRequest(Requests.analyze, { root: copy.root });
  assert.deepEqual(fromServer, JSON.parse(JSON.stringify(await analyzeProject(copy.root))));
  const empty = await makeTempDir('skene-no-django-');
  t.after(() => removeTempDir(empty));
  assert.equal(await session.connection.sendRequest(Requests.analyze, { root: empty }), null);
});
