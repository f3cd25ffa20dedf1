/** `skene analyze [dir] [--json]`: exit codes, JSON on stdout, and the readable summary. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { runProcess } from '../../helpers/runProcess';
import { makeTempDir, removeTempDir } from '../../helpers/tempDir';

const REPO = path.resolve(__dirname, '../../..');
const FIXTURE = path.join(REPO, 'test/fixtures/projects/monorepo');

function skene(...args: string[]) {
  return runProcess(process.execPath, ['--import', 'tsx', path.join(REPO, 'cli/cli.ts'), ...args], { cwd: REPO });
}

describe('skene analyze', () => {
  test('--json prints the ProjectModel of the project found below the folder', async () => {
    const result = await skene('analyze', FIXTURE, '--json');
    assert.equal(result.code, 0, result.stderr);
    const model = JSON.parse(result.stdout) as { root: string; authUserModel: string; userModel: { table: string } };
    assert.deepEqual(
      { root: model.root, authUserModel: model.authUserModel, table: model.userModel.table },
      { root: path.join(FIXTURE, 'backend'), authUserModel: 'profiles.Profile', table: 'profiles_profile' },
    );
  });

  test('without --json prints a summary a human can check', async () => {
    const result = await skene('analyze', path.join(REPO, 'test/fixtures/projects/default-user'));
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.deepEqual(lines.slice(1, 4), [
      'Settings:       blog_site.settings (blog_site/settings.py)',
      'User model:     auth.User -> User in Django',
      'User table:     auth_user',
    ]);
    assert.ok(lines.includes("  blog_site/settings.py:12  DATABASES['default'] uses django.db.backends.sqlite3; Skene's loop needs PostgreSQL"));
  });

  test('exits 2 with a clear message when there is no Django project', async () => {
    const dir = await makeTempDir('skene-analyze-empty');
    try {
      const result = await skene('analyze', dir, '--json');
      assert.deepEqual({ code: result.code, stdout: result.stdout }, { code: 2, stdout: '' });
      assert.match(result.stderr, /^skene analyze: No Django project found in .*: no manage\.py in it, below it \(4 levels\) or above it/);
    } finally {
      await removeTempDir(dir);
    }
  });
});
