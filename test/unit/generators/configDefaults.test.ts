/**
 * The generated skene.config.ts spells out every setting that decides who gets an email (audience, exit,
 * holdout and conversion window, per-loop and global caps; quiet hours as a commented example), each with a
 * one-line comment, and writing them out changes nothing: the checker accepts the file and parses the same loop
 * as with those keys left to the schema's defaults.
 */
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { applyPlan } from '../../../generators/applyPlan';
import { planInit } from '../../../generators/planInit';
import { checkConfig } from '../../../server/core/config/checkConfig';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import type { ProjectModel } from '../../../server/core/django/projectModel';
import { makeTempDir, removeTempDir } from '../../helpers/tempDir';
import { EXAMPLE_DIR, diskReader } from './planKit';

const WRITTEN = ['audience', 'exit', 'tracking', 'frequencyCap', 'globalCap'];

describe('defaults in the generated skene.config.ts', () => {
  let project: ProjectModel;
  let config: string;
  let dir: string;

  before(async () => {
    await loadSqlParser();
    dir = path.join(await makeTempDir('skene-defaults-'), 'saas');
    cpSync(EXAMPLE_DIR, dir, { recursive: true });
    const plan = await planInit(await analyzeProject(dir), {}, diskReader(dir));
    applyPlan(plan, { overwriteConflicts: false });
    config = plan.files.find((f) => f.path === 'skene.config.ts')?.after ?? '';
    // The project as initialized (the activity column added), which is what the config is checked against.
    project = await analyzeProject(dir);
  });

  after(() => removeTempDir(path.dirname(dir)));

  test('each default that changes who gets an email is written, with a comment line above it', () => {
    const lines = config.split('\n');
    for (const key of WRITTEN) {
      const at = lines.findIndex((line) => line.trimStart().startsWith(`${key}: `));
      assert.ok(at > 0, `${key} is written`);
      assert.match(lines[at - 1] ?? '', /^\s*\/\/ \S/, `${key} has a comment`);
    }
    assert.match(config, /\/\/ [^\n]*10% of the audience is held out/);
    assert.match(config, /tracking: \{ holdout: 0\.1, conversionWindow: '14d' \}/);
    assert.match(config, /\n\s*\/\/ quietHours: \{ start: '21:00', end: '08:00' \},\n/);
  });

  test('the checker accepts it, and the values equal the schema defaults', () => {
    const written = checkConfig(config, project);
    assert.deepEqual(written.issues.filter((i) => i.severity === 'error'), []);
    const withoutDefaults = config
      .split('\n')
      .filter((line, i, all) => !WRITTEN.some((key) => line.trimStart().startsWith(`${key}: `) || (all[i + 1] ?? '').trimStart().startsWith(`${key}: `)))
      .join('\n');
    assert.notEqual(withoutDefaults, config);
    const implicit = checkConfig(withoutDefaults, project);
    assert.ok(written.loops[0]?.loop, 'the written loop parses');
    assert.deepEqual(written.loops[0]?.loop, implicit.loops[0]?.loop);
  });
});
