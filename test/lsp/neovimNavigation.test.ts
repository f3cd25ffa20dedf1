import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { BUNDLED_SERVER } from '../helpers/lspClient';
import { withCursor } from './support/cursor';
import { copyExampleProject } from './support/exampleProject';
import { CLEAN_CONFIG } from './support/fixtures';

function runNeovim(script: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${script}`], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.on('error', reject);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

test('Neovim 0.7 (built-in client): definition from a table, document symbols and inlay hints', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  const { text, position } = withCursor(CLEAN_CONFIG.replace('FROM accounts_user', 'FROM accounts_u|ser'));
  copy.write('skene.config.ts', text);
  const run = await runNeovim(path.join(__dirname, 'neovim', 'navigation.lua'), {
    SKENE_SERVER: BUNDLED_SERVER, SKENE_PROJECT: copy.root, SKENE_LINE: String(position.line), SKENE_CHARACTER: String(position.character),
  });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { definitions: unknown; symbols: unknown; hints: Array<{ line: number; label: string }> };
  assert.deepEqual(result.definitions, [{ file: 'accounts/models.py', line: 4 }]);
  const leaf = (name: string) => ({ name, children: [] });
  assert.deepEqual(result.symbols, [{ name: 'dormant-users', children: [{ name: 'step 1', children: [leaf('trigger'), leaf('condition'), leaf('action')] }] }]);
  assert.deepEqual(result.hints.map((h) => h.line), [4, 5, 6]);
  assert.equal(result.hints[0]?.label, 'step 1: on the schedule');
  assert.match(result.hints[1]?.label ?? '', /^next run \w{3} \d{1,2} \w{3} \d{2}:\d{2} your time$/);
  assert.equal(result.hints[2]?.label, '→ accounts.User');
});
