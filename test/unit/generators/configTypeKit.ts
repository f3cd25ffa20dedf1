/**
 * Shared by the config type-check tests: plan `skene init` for projects, write what Initialize creates into a
 * fresh folder (no node_modules anywhere above it: "before npm install"), and type-check skene.config.ts with the
 * TypeScript compiler, with the options an editor's project without a tsconfig.json comes close to (strict, and
 * declaration files not checked: the built sdk's index.d.ts imports zod and pg, which are not installed yet).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import ts from 'typescript';
import { planInit } from '../../../generators/planInit';
import type { InitPlan } from '../../../generators/types';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { diskReader } from './planKit';

export const REPO = path.resolve(__dirname, '../../..');

/** Every project folder in a fixture folder of the repository. */
export function fixtureProjects(folder: string): string[] {
  return readdirSync(path.join(REPO, folder)).map((name) => path.join(REPO, folder, name));
}

/** A temp folder for this test file, removed after it; asserts no node_modules above it. */
export function workFolder(): string {
  const work = mkdtempSync(path.join(tmpdir(), 'skene-config-types-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  for (let dir = work; dir !== path.dirname(dir); dir = path.dirname(dir)) assert.ok(!existsSync(path.join(dir, 'node_modules')), `${dir}/node_modules`);
  return work;
}

/** The files of the plan as they are right after Initialize, written into `<work>/<name>`. */
export function writePlan(plan: InitPlan, work: string, name: string): string {
  const dir = path.join(work, name);
  for (const file of plan.files) {
    if (file.action === 'unchanged' && file.before === null) continue;
    const target = path.join(dir, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.after);
  }
  return dir;
}

export const CHECK_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
};

/** The TypeScript compiler on `<dir>/skene.config.ts` (and what it imports): its diagnostics. */
export function typeCheck(dir: string): string[] {
  const program = ts.createProgram([path.join(dir, 'skene.config.ts')], CHECK_OPTIONS);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.relative(dir, d.file.fileName) : ''} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/**
 * A suite: each project is planned, and every one Initialize sets up gets the config and the sdk's declarations,
 * and its config type-checks with no diagnostics. Returns the plans (filled before the tests run) for more tests.
 */
export function configTypeChecksIn(title: string, projects: string[], work: string, atLeast: number): Map<string, InitPlan> {
  const plans = new Map<string, InitPlan>();
  describe(title, () => {
    before(async () => {
      await loadSqlParser();
      for (const project of projects) {
        const model = await analyzeProject(project);
        plans.set(project, await planInit(model, {}, diskReader(model.root)));
      }
    });

    test('every project Initialize sets up gets the config and the declarations it imports', () => {
      const initialized = [...plans.values()].filter((plan) => plan.files.some((f) => f.path === 'skene.config.ts'));
      assert.ok(initialized.length >= atLeast, `${initialized.length} of ${projects.length} projects were planned`);
      for (const plan of initialized) {
        const paths = plan.files.map((f) => f.path);
        assert.ok(paths.includes('skene/sdk/index.d.ts'), `${plan.root}: ${paths.join(', ')}`);
      }
    });

    for (const project of projects) {
      const name = path.relative(REPO, project);
      test(name, () => {
        const plan = plans.get(project);
        assert.ok(plan, name);
        if (!plan.files.some((f) => f.path === 'skene.config.ts')) {
          // A project Initialize refuses (SQLite only) gets no config to check: it must say why, as an error.
          assert.ok(plan.notes.some((n) => n.severity === 'error'), `${name} has no config and no error: ${JSON.stringify(plan.notes)}`);
          return;
        }
        assert.deepEqual(typeCheck(writePlan(plan, work, name.replace(/[\\/]/g, '_'))), []);
      });
    }
  });
  return plans;
}
