import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { BUNDLED_SERVER } from '../helpers/lspClient';
import { copyExampleProject } from './support/exampleProject';
import { CLEAN_CONFIG } from './support/fixtures';

/** Runs headless Neovim 0.7 on a script; resolves with its stdout when it exits. */
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

test('Neovim 0.7 (push diagnostics, vim.lsp.start_client): a wrong table in the example config, and the lens over User', async (t) => {
  const copy = await copyExampleProject();
  t.after(() => copy.remove());
  copy.write('skene.config.ts', CLEAN_CONFIG.replace('FROM accounts_user', 'FROM acounts_user'));
  const run = await runNeovim(path.join(__dirname, 'neovim', 'diagnostics.lua'), { SKENE_SERVER: BUNDLED_SERVER, SKENE_PROJECT: copy.root });
  assert.equal(run.status, 0, run.stderr);
  const result = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}');
  assert.deepEqual(result, {
    gotDiagnostics: true,
    diagnostics: [
      { code: 'unknown-table', line: 6, source: 'skene', message: "Table 'acounts_user' is not in this project's models, Django's tables or Skene's tables. Did you mean 'accounts_user'?" },
      { code: 'missing-template', line: 7, source: 'skene', message: "Template 're_engagement' does not exist yet; Skene: Initialize (skene init) creates templates/skene/emails/re_engagement.html and .txt." },
    ],
    lenses: [{ line: 4, title: 'Skene · dormant 7 d · daily 09:00 Europe/Paris · 1 step', command: 'skene.openConfig' }],
    stopped: true,
  });
});
