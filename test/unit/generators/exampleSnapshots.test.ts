/**
 * Snapshots of every file `skene init` writes for examples/saas (analyzed from disk). Vendored copies are
 * compared with their sources instead. Update with SKENE_UPDATE_SNAPSHOTS=1 after a deliberate change.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { loadAssets } from '../../../generators/assets';
import { planInit } from '../../../generators/planInit';
import type { InitPlan } from '../../../generators/types';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { EXAMPLE_DIR, diskReader } from './planKit';

const SNAPSHOTS = path.join(__dirname, '__snapshots__', 'saas');
const UPDATE = process.env.SKENE_UPDATE_SNAPSHOTS === '1';
const VENDORED = /^(skene\/sdk\/|skene_retention\/skene_runtime\.py$)/;

/**
 * A snapshot file per generated file: the plan's action, then the contents after the plan. In the state
 * file, the hashes of vendored copies are masked: they follow the sdk and runtime sources, not the generators.
 */
function snapshotText(filePath: string, action: string, after: string): string {
  const text = filePath === '.skene/generated.json' ? after.replace(/^( {4}"(skene\/sdk\/[^"]+|skene_retention\/skene_runtime\.py)": )"[0-9a-f]{64}"/gm, '$1"<hash of the vendored source>"') : after;
  return `# action: ${action}\n${text}`;
}

describe('skene init plan for examples/saas', () => {
  let plan: InitPlan;

  before(async () => {
    await loadSqlParser();
    // With the agent files chosen, so AGENTS.md and the Cursor rule are snapshotted too; the folder is explicit so
    // the commands they name do not depend on where the checkout is.
    plan = await planInit(await analyzeProject(EXAMPLE_DIR), { agents: true, commandDir: 'examples/saas' }, diskReader(EXAMPLE_DIR));
  });

  test('has no notes and no conflicts, and lists every file once', () => {
    assert.deepEqual(plan.notes, []);
    assert.deepEqual(plan.files.filter((f) => f.action === 'conflict' || f.action === 'unchanged'), []);
    assert.equal(new Set(plan.files.map((f) => f.path)).size, plan.files.length);
  });

  test('every generated file matches its snapshot', () => {
    const mismatched: string[] = [];
    for (const file of plan.files.filter((f) => !VENDORED.test(f.path))) {
      const snapshot = path.join(SNAPSHOTS, `${file.path}.snap`);
      const text = snapshotText(file.path, file.action, file.after);
      if (UPDATE || !existsSync(snapshot)) {
        mkdirSync(path.dirname(snapshot), { recursive: true });
        writeFileSync(snapshot, text);
        if (!UPDATE) mismatched.push(`${file.path} (snapshot was missing; written)`);
      } else if (readFileSync(snapshot, 'utf8') !== text) mismatched.push(file.path);
    }
    assert.deepEqual(mismatched, []);
  });

  test('vendored files are their sources verbatim (the .ts ones under a one-line header)', () => {
    const assets = loadAssets();
    const runtime = plan.files.find((f) => f.path === 'skene_retention/skene_runtime.py');
    assert.equal(runtime?.after, assets.pythonRuntime);
    for (const source of assets.sdkFiles) {
      const vendored = plan.files.find((f) => f.path === `skene/sdk/${source.path}`)?.after ?? '';
      assert.equal(vendored.endsWith(source.contents), true, source.path);
      assert.ok(vendored.length - source.contents.length < 120, source.path);
    }
  });
});
