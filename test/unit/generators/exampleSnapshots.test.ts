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

  test('vendored files are their sources verbatim: the Python runtime, and the sdk as one built module with its types', () => {
    const assets = loadAssets();
    const runtime = plan.files.find((f) => f.path === 'skene_retention/skene_runtime.py');
    assert.equal(runtime?.after, assets.pythonRuntime);
    const sdk = plan.files.filter((f) => f.path.startsWith('skene/sdk/')).map((f) => f.path).sort();
    assert.deepEqual(sdk, ['skene/sdk/index.d.ts', 'skene/sdk/index.js']);
    assert.equal(plan.files.find((f) => f.path === 'skene/sdk/index.js')?.after, assets.sdkPackage.indexJs);
    assert.equal(plan.files.find((f) => f.path === 'skene/sdk/index.d.ts')?.after, assets.sdkPackage.indexDts);
    assert.match(assets.sdkPackage.indexDts, /export declare function defineLoop/);
  });

  test("the project's own package.json is left alone; the runner has its own", () => {
    assert.equal(plan.files.some((f) => f.path === 'package.json'), false);
    const runner = JSON.parse(plan.files.find((f) => f.path === 'skene/package.json')?.after ?? '{}') as { type?: string; dependencies?: Record<string, string> };
    assert.equal(runner.type, 'commonjs');
    assert.deepEqual(Object.keys(runner.dependencies ?? {}).sort(), ['libpg-query', 'nodemailer', 'pg', 'pgsql-deparser', 'zod']);
  });

  test('Initialize adds at most 25 files (AGENTS.md and the Cursor rule are a separate, visible choice)', async () => {
    const defaults = await planInit(await analyzeProject(EXAMPLE_DIR), { commandDir: 'examples/saas' }, diskReader(EXAMPLE_DIR));
    const created = defaults.files.filter((f) => f.action === 'create').map((f) => f.path);
    assert.ok(created.length <= 25, created.join('\n'));
    assert.equal(created.some((p) => p === 'AGENTS.md' || p.startsWith('.cursor/')), false);
    assert.equal(plan.files.filter((f) => f.action === 'create').length, created.length + 2, 'the choice adds exactly the two agent files');
  });
});
