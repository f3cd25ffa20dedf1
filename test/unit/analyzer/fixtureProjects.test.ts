/**
 * The whole ProjectModel of each fixture project, asserted in full (root normalised to "<root>").
 * Expected models live in ./expected/<fixture>.json; for fixtures Django can load, the oracle test
 * (test/integration/analyzerOracle.test.ts) checks the same tables, columns and leaves against Django.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { analyzeProject } from '../../../server/core/django/analyzeProject';

const FIXTURES = path.resolve(__dirname, '../../fixtures/projects');

/** Fixture name -> the folder the analyzer should pick as root (monorepos hold the project deeper). */
const CASES: Record<string, string> = {
  'abstract-user': '',
  'base-user-env': '',
  'default-user': '',
  'models-package': '',
  'abstract-chain': '',
  'appconfig-label': '',
  'split-settings': '',
  'environ-djstripe': '',
  monorepo: 'backend',
  'src-layout': 'src',
  'm2m-user': '',
  'class-settings': '',
  'property-settings': '',
  'configuration-module': '',
  'app-at-root': 'tests',
  'src-packages': '',
  'dotenv-settings': '',
  'db-function-local': '',
  'db-configuration-loader': '',
  'db-helper-module': '',
  'db-config-class': '',
};

function expected(name: string): unknown {
  return JSON.parse(readFileSync(path.join(__dirname, 'expected', `${name}.json`), 'utf8'));
}

describe('ProjectModel of fixture projects', () => {
  for (const [name, subdir] of Object.entries(CASES)) {
    test(name, async () => {
      const dir = path.join(FIXTURES, name);
      const model = await analyzeProject(dir);
      assert.equal(model.root, path.join(dir, subdir));
      assert.deepEqual({ ...model, root: '<root>' }, expected(name));
    });
  }
});
