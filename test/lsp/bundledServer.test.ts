import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startLspSession as start } from '../helpers/lspClient';
import { Requests, type PythonClassesResult } from '../../server/protocol';

async function startLspSession(t: TestContext) {
  const session = await start();
  t.after(() => session.dispose());
  return session;
}

test('the bundled server completes initialize/shutdown over stdio and exits 0', async (t) => {
  const session = await startLspSession(t);
  assert.equal(session.initializeResult.serverInfo?.name, 'Skene Language Server');
  assert.equal(await session.close(), 0);
});

test('the bundled server parses Python with the wasm grammar shipped beside it', async (t) => {
  const session = await startLspSession(t);
  const source = [
    'from django.contrib.auth.models import AbstractUser',
    '',
    '@admin.register',
    'class User(AbstractUser):',
    '    company = models.CharField(max_length=100)',
    '',
    'class Team(models.Model):',
    '    pass',
  ].join('\n');
  const result = await session.connection.sendRequest<PythonClassesResult>(Requests.pythonClasses, { text: source });
  assert.deepEqual(result, {
    classes: [
      { name: 'User', line: 3 },
      { name: 'Team', line: 7 },
    ],
    hasSyntaxErrors: false,
  });
  assert.equal(await session.close(), 0);
});

test('a Python syntax error is reported, not fatal', async (t) => {
  const session = await startLspSession(t);
  const result = await session.connection.sendRequest<PythonClassesResult>(Requests.pythonClasses, {
    text: 'class Broken(:\n    pass\nclass Fine:\n    pass\n',
  });
  assert.equal(result.hasSyntaxErrors, true);
  assert.deepEqual(result.classes.map((c) => c.name).includes('Fine'), true);
  assert.equal(await session.close(), 0);
});
