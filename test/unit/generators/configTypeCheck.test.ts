/**
 * The config `skene init` writes type-checks right away, before any `npm install` (issue: TS2307 "Cannot find
 * module '@skene/sdk'" the moment Initialize wrote it; with the built sdk the import resolves, but its types came
 * from zod, so before zod was installed the config was typed `any`). For examples/saas and every init fixture (the
 * analyzer fixtures: configTypeCheckProjects.test.ts), the files the plan creates go into an empty folder and the
 * TypeScript compiler checks skene.config.ts. Controls: a wrong value is an error (the config is typed, not `any`),
 * also for the real `tsc`. And sdk/configTypes.ts is current: it is what scripts/sdkConfigTypes.ts spells out from the
 * schema now, and (checked by `npm run typecheck`) each type equals the schema's `z.input`.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { z } from 'zod';
import { configTypesDeclaration } from '../../../scripts/sdkConfigTypes';
import type { actionSchema, conditionSchema, emailActionSchema, loopSchema, stepSchema, triggerSchema } from '../../../sdk/schema';
import type { ActionConfig, ConditionConfig, EmailActionConfig, LoopConfig, StepConfig, TriggerConfig } from '../../../sdk/types';
import { configTypeChecksIn, fixtureProjects, REPO, typeCheck, workFolder, writePlan } from './configTypeKit';
import { EXAMPLE_DIR } from './planKit';

/** True only when A and B are the same type (not merely assignable one way). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
// `npm run typecheck` fails here when sdk/configTypes.ts no longer spells out the schema's input types.
const SPELLED_OUT_AS_THE_SCHEMA: [
  Same<LoopConfig, z.input<typeof loopSchema>>,
  Same<StepConfig, z.input<typeof stepSchema>>,
  Same<TriggerConfig, z.input<typeof triggerSchema>>,
  Same<ConditionConfig, z.input<typeof conditionSchema>>,
  Same<ActionConfig, z.input<typeof actionSchema>>,
  Same<EmailActionConfig, z.input<typeof emailActionSchema>>,
] = [true, true, true, true, true, true];

const work = workFolder();
const projects = [EXAMPLE_DIR, ...fixtureProjects('test/fixtures/init')];
const plans = configTypeChecksIn('the generated skene.config.ts type-checks before npm install', projects, work, projects.length);

describe('the config types: current, and not `any`', () => {
  test('sdk/configTypes.ts is what scripts/sdkConfigTypes.ts writes from the schema now (else: npx tsx scripts/sdkConfigTypes.ts)', () => {
    const sdk = path.join(REPO, 'sdk');
    assert.equal(readFileSync(path.join(sdk, 'configTypes.ts'), 'utf8'), configTypesDeclaration(sdk));
    assert.deepEqual(SPELLED_OUT_AS_THE_SCHEMA, [true, true, true, true, true, true]);
  });

  test('a wrong value in the config is an error before npm install, also for the real tsc', () => {
    const plan = plans.get(EXAMPLE_DIR);
    assert.ok(plan);
    const dir = writePlan(plan, work, 'control');
    const configPath = path.join(dir, 'skene.config.ts');
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace("type: 'retention'", "type: 'retension'"));
    assert.match(typeCheck(dir).join('\n'), /skene\.config\.ts TS2820: Type '"retension"' is not assignable to type '"retention" \| "milestone"'/);
    const flags = ['--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'esnext', '--moduleResolution', 'bundler'];
    const tsc = spawnSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), ...flags, 'skene.config.ts'], { cwd: dir, encoding: 'utf8' });
    assert.equal(tsc.status, 2, tsc.stdout + tsc.stderr);
    assert.match(tsc.stdout, /^skene\.config\.ts\(\d+,\d+\): error TS2820: Type '"retension"'/);
    assert.doesNotMatch(tsc.stdout, /TS2307/);
  });
});
