import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { BASE } from './configCases';
import { check, mark } from './configTestKit';

before(async () => {
  await loadSqlParser();
});

describe('inputs that are not a finished config never crash', () => {
  test('a Python file gets syntax errors and the missing-export error, nothing else', () => {
    const { issues } = check('from django.db import models\n\nclass User(models.Model):\n    pass\n');
    assert.ok(issues.length > 0);
    assert.deepEqual([...new Set(issues.map((i) => i.code))].sort(), ['missing-default-export', 'syntax-error']);
  });

  test('a half-typed object: the syntax errors where typing stopped, and the keys still missing', () => {
    const text = "import { defineLoop } from '@skene/sdk';\nexport default defineLoop({ steps: [ { trigger: ";
    const { issues, loops } = check(text);
    assert.equal(loops.length, 1);
    assert.deepEqual(
      issues.map((i) => [i.code, i.range.start.line, i.range.start.character]),
      [['missing-key', 1, 15], ['missing-key', 1, 37], ['syntax-error', 1, 47], ['syntax-error', 1, 48]],
    );
    assert.deepEqual(issues.map((i) => i.message.slice(0, 30)), ["Missing required key 'type' in", "Missing required key 'action' ", 'Expression expected.', "'}' expected."]);
  });

  test('every prefix of the base config answers (typing it from scratch)', () => {
    for (let end = 0; end <= BASE.length; end += 7) {
      const result = check(BASE.slice(0, end));
      assert.ok(Array.isArray(result.issues), `prefix ${end}`);
    }
  });

  test('an unterminated template literal query', () => {
    const { issues } = check(BASE.replace("AND is_active`", 'AND is_active'));
    assert.ok(issues.some((i) => i.code === 'syntax-error'));
  });

  test('unicode (astral characters) before a SQL error: the range is in UTF-16 units', () => {
    const marked = mark(BASE.replace("INTERVAL '7 days'", "INTERVAL '😀 days' AND ⟪nope⟫ = 1"));
    const issue = check(marked.text).issues.find((i) => i.code === 'unknown-column');
    assert.deepEqual(issue?.range, marked.ranges[0]);
  });

  // Its speed is measured in bench/configCheck.ts; here only that a big config is read whole.
  test('a 5,000-line config is checked whole', () => {
    const lines = Array.from({ length: 4990 }, (_, n) => `          field${n}: '{{user.first_name}}',`).join('\n');
    const text = BASE.replace("personalization: { firstName: '{{user.first_name}}' },", `personalization: {\n${lines}\n        },`);
    assert.ok(text.split('\n').length > 5000);
    const { issues, loops } = check(text);
    assert.deepEqual(issues, []);
    assert.equal(Object.keys(loops[0]?.manifest?.steps[0]?.personalization ?? {}).length, 4990);
  });
});

describe('SQL parser not loaded yet', () => {
  test('SQL checks wait with one info, other rules still run', () => {
    const script = [
      "const mod = await import('./server/core/config/checkConfig.ts');",
      'const checkConfig = mod.checkConfig ?? mod.default.checkConfig;',
      "const { readFileSync } = await import('node:fs');",
      "const text = readFileSync('test/fixtures/configs/seed.skene.config.ts', 'utf8').replace(\"'0 9 * * *'\", \"'0 9 * *'\");",
      'console.log(JSON.stringify(checkConfig(text, null).issues.map((i) => i.code)));',
    ].join('\n');
    const root = path.resolve(__dirname, '../../..');
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), ['invalid-cron', 'sql-parser-not-ready']);
  });
});
