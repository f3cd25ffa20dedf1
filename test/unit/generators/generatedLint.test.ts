/**
 * The Python files Initialize creates pass `ruff check` with Ruff's default rules (E4, E7, E9, F: what a project
 * gets from `ruff check .` with no configuration), so a project whose CI lints everything does not fail on Skene's
 * app. Found on a public project: the vendored runtime imported `calendar` and never used it (F401).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { planInit } from '../../../generators/planInit';
import { newLintFindings } from '../../../generators/style/ruffCompare';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { diskReader, EXAMPLE_DIR } from './planKit';

const PROJECTS = [EXAMPLE_DIR, path.resolve(__dirname, '../../fixtures/init/plainblog')];

describe('lint of the Python files Initialize creates', () => {
  for (const dir of PROJECTS) {
    test(`${path.basename(dir)}: no finding under Ruff's default rules`, async () => {
      await loadSqlParser();
      const plan = await planInit(await analyzeProject(dir), {}, diskReader(dir));
      const created = plan.files.filter((f) => f.action === 'create' && f.path.endsWith('.py'));
      assert.ok(created.some((f) => f.path.endsWith('skene_runtime.py')));
      const findings = await newLintFindings(created.map((f) => ({ path: f.path, before: '', after: f.after })), { lineLength: null, isort: false, knownFirstParty: [], source: null }, []);
      assert.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.code} ${f.message}`), []);
    });
  }
});
