import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyExampleProject } from './support/exampleProject';
import { CLEAN_CONFIG } from './support/fixtures';
import { PULL_CLIENT, PUSH_CLIENT, startSession } from './support/session';
import { Requests } from '../../server/protocol';

/**
 * The server answers again after `write` put bad bytes on its stdin. vscode-jsonrpc drops a bad message and
 * reads on at the next data event, so the probe is re-sent until one answer arrives (or the time is up).
 */
async function answersAfter(session: Awaited<ReturnType<typeof startSession>>, write: () => void): Promise<unknown> {
  write();
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await Promise.race([
      session.connection.sendRequest(Requests.pythonClasses, { text: 'class Alive:\n    pass\n' }),
      new Promise((resolve) => setTimeout(() => resolve(null), 200)),
    ]);
    if (answer) return answer;
    assert.ok(Date.now() < deadline, 'the server stopped answering');
  }
}

test('invalid JSON-RPC bytes, a wrong message shape and unknown methods: the server keeps answering', async (t) => {
  const session = await startSession(t, { capabilities: PUSH_CLIENT });
  const alive = { classes: [{ name: 'Alive', line: 1 }], hasSyntaxErrors: false };
  assert.deepEqual(await answersAfter(session, () => session.process.stdin.write('Content-Length: 12\r\n\r\n{not json!!}')), alive);
  assert.deepEqual(await answersAfter(session, () => session.process.stdin.write('\x00\x01\x02 no header at all\r\n\r\n')), alive);
  assert.deepEqual(await answersAfter(session, () => session.process.stdin.write('Content-Length: 9\r\n\r\n{"foo":1}')), alive);
  await assert.rejects(session.connection.sendRequest('skene/noSuchMethod', {}), /Unhandled method skene\/noSuchMethod/);
  await session.connection.sendNotification('skene/noSuchNotification', { x: 1 });
  // Wrong params for real methods are answered with the feature's empty result, not a crash.
  assert.equal(await session.connection.sendRequest('textDocument/hover', { textDocument: null, position: 'here' }), null);
  assert.deepEqual(await session.connection.sendRequest('textDocument/codeAction', {}), []);
  assert.deepEqual(await session.connection.sendRequest('textDocument/codeLens', { textDocument: { uri: 'untitled:x' } }), []);
  assert.equal(await session.close(), 0);
});

test('a huge document (3 MB config, 5 MB models.py) neither crashes nor stops the server', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const session = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  const uri = copy.uri('skene.config.ts');
  const huge = CLEAN_CONFIG.replace("type: 'retention',", `type: 'retention',\n  opinion: '${'x'.repeat(3_000_000)}',`);
  await session.open(uri, huge);
  const report = await session.pull(uri);
  assert.deepEqual(report.items, []);
  const models = copy.uri('accounts/models.py');
  await session.open(models, '');
  await session.change(models, `${'x = 1\n'.repeat(850_000)}`);
  await session.change(uri, CLEAN_CONFIG);
  const after = await session.pull(uri);
  assert.deepEqual(after.items.map((d) => d.code), ['missing-template']);
  assert.equal(await session.close(), 0);
});
