import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { SEED } from './configCases';

const repo = path.resolve(__dirname, '../../..');
// Absolute, because the CLI runs from other folders where `tsx` would not resolve.
const tsx = pathToFileURL(path.join(repo, 'node_modules/tsx/dist/loader.mjs')).href;
const work = mkdtempSync(path.join(tmpdir(), 'skene-check-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** A copy of examples/saas with the given skene.config.ts (or none). */
function project(name: string, config: string | null): string {
  const dir = path.join(work, name);
  cpSync(path.join(repo, 'examples/saas'), dir, { recursive: true });
  if (config !== null) writeFileSync(path.join(dir, 'skene.config.ts'), config);
  return dir;
}

function skene(args: string[], cwd = work) {
  const run = spawnSync(process.execPath, ['--import', tsx, path.join(repo, 'cli/cli.ts'), ...args], { cwd, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const VALID = `import { defineLoop } from '@skene/sdk';
export default defineLoop({
  type: 'retention',
  steps: [{
    trigger: { type: 'schedule', cron: '0 9 * * *' },
    condition: { type: 'query', query: \`SELECT id, email, first_name FROM accounts_user WHERE is_active\` },
    action: { type: 'email', template: 're_engagement', personalization: { name: '{{user.first_name}}' } },
  }],
});
`;

describe('skene check', () => {
  test('JSON: the seed config in the example project, 1-based positions, exit 1', () => {
    const dir = project('seed', SEED);
    const run = skene(['check', dir, '--format', 'json']);
    assert.equal(run.status, 1, run.stderr);
    const { issues } = JSON.parse(run.stdout) as { issues: Array<Record<string, unknown>> };
    const file = path.relative(work, path.join(dir, 'skene.config.ts'));
    assert.deepEqual(issues.slice(0, 1), [{
      code: 'unknown-table',
      severity: 'error',
      message: "Table 'users' is not in this project's models, Django's tables or Skene's tables. Did you mean 'accounts_user'?",
      file,
      line: 7,
      column: 55,
      endLine: 7,
      endColumn: 60,
    }]);
    assert.ok(issues.some((i) => i.code === 'unknown-placeholder' && i.line === 9 && i.column === 48));
  });

  test('text: compiler-style lines with the source line and a caret', () => {
    const dir = project('seed-text', SEED);
    const run = skene(['check', dir]);
    assert.equal(run.status, 1);
    const lines = run.stdout.split('\n');
    const file = path.relative(work, path.join(dir, 'skene.config.ts'));
    assert.equal(lines[0], `${file}:7:55: error unknown-table: Table 'users' is not in this project's models, Django's tables or Skene's tables. Did you mean 'accounts_user'?`);
    assert.equal(lines[2], `  ${' '.repeat(54)}^^^^^`);
    assert.match(lines[lines.length - 2] ?? '', /^\d+ errors?, \d+ warnings?, \d+ info$/);
  });

  test('a valid config exits 0 (infos do not fail the check)', () => {
    const dir = project('valid', VALID);
    const run = skene(['check', '--format', 'json'], dir);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), {
      issues: [{
        code: 'missing-template',
        severity: 'info',
        message: "Template 're_engagement' does not exist yet; Skene: Initialize (skene init) creates templates/skene/emails/re_engagement.html and .txt.",
        file: 'skene.config.ts',
        line: 7,
        column: 40,
        endLine: 7,
        endColumn: 55,
      }],
    });
  });

  test('no skene.config.ts: exit 2 with a message naming the fix', () => {
    const dir = project('none', null);
    const run = skene(['check', dir]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /no skene\.config\.ts in .*skene init/);
  });

  test('an unknown --format is a usage error: exit 2', () => {
    const dir = project('format', VALID);
    const run = skene(['check', dir, '--format', 'xml']);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--format must be text or json/);
  });
});
