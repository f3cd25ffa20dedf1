/**
 * docs/language-server.md lists every capability the bundled server declares (its initialize result is quoted there
 * and compared whole), every server command and every custom request and notification.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Notifications, Requests, ServerCommands } from '../../server/protocol';
import { copyExampleProject } from './support/exampleProject';
import { PULL_CLIENT, PUSH_CLIENT, startSession } from './support/session';

const DOC = readFileSync(path.resolve(__dirname, '../../docs/language-server.md'), 'utf8');

/** The ```jsonc block after "The initialize result", without its comments. */
function documentedCapabilities(): unknown {
  const block = /The initialize result[\s\S]*?```jsonc\n([\s\S]*?)```/.exec(DOC)?.[1] ?? '';
  return JSON.parse(block.replace(/\s+\/\/ [^\n]*$/gm, ''));
}

test('the initialize result is the one docs/language-server.md shows (pull diagnostics only for pull clients)', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const pull = await startSession(t, { rootPath: copy.root, capabilities: PULL_CLIENT });
  assert.deepEqual(pull.initializeResult.capabilities, documentedCapabilities());
  assert.match(DOC, new RegExp(`serverInfo: \\{ name: '${pull.initializeResult.serverInfo?.name ?? '?'}', version \\}`));
  const push = await startSession(t, { rootPath: copy.root, capabilities: PUSH_CLIENT });
  const { diagnosticProvider, ...rest } = documentedCapabilities() as Record<string, unknown>;
  assert.ok(diagnosticProvider);
  assert.deepEqual(push.initializeResult.capabilities, rest);
});

test('every server command, custom request and notification is documented', () => {
  for (const name of [...Object.values(ServerCommands), ...Object.values(Requests), ...Object.values(Notifications)]) {
    assert.ok(DOC.includes(`\`${name}\``), `${name} is not in docs/language-server.md`);
  }
});
