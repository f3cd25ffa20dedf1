import assert from 'node:assert/strict';
import { test } from 'node:test';
import { routeClientLine } from '../../../extension/clientLogLines';

test("the language client's lines keep their level, without its prefix; continuation lines keep the previous level", () => {
  assert.deepEqual(routeClientLine('[Debug - 10:42:01 AM] checked skene.config.ts (version 3) in 1.2 ms', 'info'), { level: 'debug', message: 'checked skene.config.ts (version 3) in 1.2 ms' });
  assert.deepEqual(routeClientLine('[Info  - 10:42:01] analyzed /app in 300 ms', 'debug'), { level: 'info', message: 'analyzed /app in 300 ms' });
  assert.deepEqual(routeClientLine('[Warn  - 10:42:01] x', 'info'), { level: 'warn', message: 'x' });
  assert.deepEqual(routeClientLine('[Error - 10:42:01] Request textDocument/hover failed.', 'info'), { level: 'error', message: 'Request textDocument/hover failed.' });
  assert.deepEqual(routeClientLine('    at Object.handler (server.js:10:3)', 'error'), { level: 'error', message: '    at Object.handler (server.js:10:3)' });
});

test('the server exiting with code 0 (after shutdown: a restart, a closed window) is not an error; other exits are', () => {
  assert.deepEqual(routeClientLine('[Error - 10:42:01] Server process exited with code 0.', 'info'), { level: 'info', message: 'language server stopped (exit code 0)' });
  assert.equal(routeClientLine('[Error - 10:42:01] Server process exited with code 1.', 'info').level, 'error');
  assert.equal(routeClientLine('[Error - 10:42:01] Server process exited with signal SIGKILL.', 'info').level, 'error');
});
