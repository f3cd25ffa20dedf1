/**
 * Apps outside the folder of manage.py, found where Python finds them: a package developed beside its test
 * project (tests/manage.py, the package at the repository root), src/ layouts and sys.path edits. The whole
 * models of these fixtures are in fixtureProjects.test.ts (and Django agrees: analyzerOracle.test.ts); this file
 * checks the language server's side: a file of the package outside the root is the project's file.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { ProjectRegistry } from '../../../server/core/workspace/projectRegistry';

const FIXTURES = path.resolve(__dirname, '../../fixtures/projects');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'skene-source-roots-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('source roots in the language server', () => {
  test('opening the repository of a package with tests/manage.py: an edit to ../loyalty/models.py updates the user model', async () => {
    const repo = path.join(tmp, 'app-at-root');
    cpSync(path.join(FIXTURES, 'app-at-root'), repo, { recursive: true });
    const registry = new ProjectRegistry(() => undefined);
    try {
      const state = registry.addFolder(repo);
      await state.ready;
      assert.equal(state.root, path.join(repo, 'tests'));
      assert.deepEqual(state.model?.sourceRoots, ['..']);
      assert.equal(state.model?.userModel?.file, '../loyalty/models.py');
      const models = path.join(repo, 'loyalty/models.py');
      assert.equal(registry.find(models), state);
      const text = readFileSync(models, 'utf8').replace('points = models.PositiveIntegerField', 'stars = models.PositiveIntegerField');
      const changed = await registry.apply([{ file: models, change: { text } }]);
      assert.deepEqual(changed, [state]);
      const columns = state.model?.userModel?.fields.map((f) => f.column);
      assert.ok(columns?.includes('stars') && !columns.includes('points'), JSON.stringify(columns));
    } finally {
      registry.dispose();
    }
  });
});
