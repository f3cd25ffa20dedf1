/**
 * A syntax error never silently switches the user model: an edit that breaks settings.py or models.py keeps the
 * last good reading of that file (the language server's incremental state), names it in `staleReadings` and in
 * `unresolved` ("Skene keeps the last good reading of this file"), and the config check warns on the loop.
 * `skene check` on a project whose files do not parse exits 1.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { checkConfig } from '../../../server/core/config/checkConfig';
import { ProjectAnalyzer } from '../../../server/core/django/analyzeProject';
import { runProcess } from '../../helpers/runProcess';

const REPO = path.resolve(__dirname, '../../..');
const FIXTURE = path.join(REPO, 'test/fixtures/projects/abstract-user');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'skene-stale-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('a file that no longer parses keeps its last good reading', () => {
  test('settings.py, then models.py broken in the editor, then fixed', async () => {
    const root = path.join(tmp, 'editor');
    cpSync(FIXTURE, root, { recursive: true });
    const analyzer = new ProjectAnalyzer(root);
    try {
      const good = await analyzer.analyze();
      assert.equal(good.authUserModel, 'accounts.User');
      assert.deepEqual(good.staleReadings, []);
      const settings = readFileSync(path.join(root, 'mysite/settings.py'), 'utf8');
      const broken = analyzer.updateFile('mysite/settings.py', { text: settings.replace('INSTALLED_APPS = [', 'INSTALLED_APPS = [[\nAUTH_USER_MODEL = (') });
      assert.equal(broken.authUserModel, 'accounts.User');
      assert.equal(broken.userModel?.table, 'accounts_user');
      assert.deepEqual(broken.staleReadings?.map((s) => s.file), ['mysite/settings.py']);
      assert.ok(broken.unresolved.some((u) => u.file === 'mysite/settings.py' && u.message.endsWith('Skene keeps the last good reading of this file')), JSON.stringify(broken.unresolved));
      const config = readFileSync(path.join(REPO, 'test/fixtures/configs/base.skene.config.ts'), 'utf8');
      const warning = checkConfig(config, broken).issues.find((i) => i.code === 'project-stale-reading');
      assert.ok(warning);
      assert.match(warning.message, /^mysite\/settings\.py:\d+ has a syntax error; this config is checked against the last good reading of that file\./);

      const models = readFileSync(path.join(root, 'accounts/models.py'), 'utf8');
      const fields = good.userModel?.fields.map((f) => f.name);
      const brokenModels = analyzer.updateFile('accounts/models.py', { text: `${models}\nclass Broken(models.Model:\n    x = (\n` });
      assert.deepEqual(brokenModels.userModel?.fields.map((f) => f.name), fields);
      assert.deepEqual(brokenModels.staleReadings?.map((s) => s.file), ['accounts/models.py', 'mysite/settings.py']);

      analyzer.updateFile('mysite/settings.py', { text: settings });
      const fixed = analyzer.updateFile('accounts/models.py', { text: models });
      assert.deepEqual(fixed.staleReadings, []);
      assert.ok(!fixed.unresolved.some((u) => u.message.includes('syntax error')));
    } finally {
      analyzer.dispose();
    }
  });

  test('skene check exits 1 when settings.py does not parse (the CLI has no earlier reading)', async () => {
    const root = path.join(tmp, 'cli');
    cpSync(FIXTURE, root, { recursive: true });
    cpSync(path.join(REPO, 'test/fixtures/configs/base.skene.config.ts'), path.join(root, 'skene.config.ts'));
    const settings = path.join(root, 'mysite/settings.py');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace('INSTALLED_APPS = [', 'INSTALLED_APPS = [[('));
    const tsx = pathToFileURL(path.join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;
    const result = await runProcess(process.execPath, ['--import', tsx, path.join(REPO, 'cli/cli.ts'), 'check', root], { cwd: REPO });
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stderr, /skene check: mysite\/settings\.py:\d+: syntax error \(lines [\d, ]+\); facts read around it may be incomplete; the project could not be read as it is\./);
  });
});
