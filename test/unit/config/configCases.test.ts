import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { ISSUE_CODES } from '../../../server/core/config/issue';
import { exampleProjectModel } from '../../fixtures/exampleProjectModel';
import { CASES } from './configCases';
import { applyEdits, check, defaultOptions, mark, summarize } from './configTestKit';

before(async () => {
  await loadSqlParser();
});

function runCase(c: (typeof CASES)[number]) {
  const marked = mark(c.source);
  const project = c.project === undefined ? exampleProjectModel() : c.project;
  const result = check(marked.text, project, c.options ?? defaultOptions());
  return { marked, project, result };
}

describe('config cases against the example project', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const { marked, result } = runCase(c);
      assert.deepEqual(
        result.issues.map(summarize),
        c.expect.map((expected, n) => ({ ...expected, range: marked.ranges[n] })),
      );
    });
  }

  test('the table covers every issue code except the parser-loading one', () => {
    const covered = new Set(CASES.flatMap((c) => c.expect.map((e) => e.code)));
    const missing = ISSUE_CODES.filter((code) => !covered.has(code) && code !== 'sql-parser-not-ready' && code !== 'syntax-error' && code !== 'invalid-value');
    assert.deepEqual(missing, []);
    assert.ok(CASES.length >= 40, `${CASES.length} cases`);
  });
});

describe('round trip: every quick fix removes its issue', () => {
  for (const c of CASES) {
    const { marked, project, result } = runCase(c);
    const fixable = result.issues.filter((issue) => issue.data?.fixes?.length);
    if (!fixable.length) continue;
    test(c.name, () => {
      for (const issue of fixable) {
        for (const fix of issue.data?.fixes ?? []) {
          const fixed = applyEdits(marked.text, fix.edits);
          const after = check(fixed, project, c.options ?? defaultOptions()).issues;
          const still = after.filter((other) => other.code === issue.code && other.message === issue.message);
          assert.deepEqual(still, [], `fix "${fix.title}" for ${issue.code} left it in:\n${fixed}`);
        }
      }
    });
  }
});
