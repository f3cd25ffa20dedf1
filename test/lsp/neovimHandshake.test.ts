import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { BUNDLED_SERVER } from '../helpers/lspClient';

test('Neovim (an LSP client that is not ours) completes initialize and shutdown with the bundled server', () => {
  const script = path.join(__dirname, 'neovim', 'handshake.lua');
  const run = spawnSync('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${script}`], {
    env: { ...process.env, SKENE_SERVER: BUNDLED_SERVER },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(run.status, 0, run.stderr);
  const lastLine = run.stdout.trim().split('\n').pop() ?? '';
  // The server declares open/close notifications and incremental sync (kind 2).
  assert.deepEqual(JSON.parse(lastLine), { initialized: true, textDocumentSync: { openClose: true, change: 2 }, stopped: true });
});
