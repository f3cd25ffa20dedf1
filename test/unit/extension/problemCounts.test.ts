/** The status bar and Check Loop Config count Skene's problems one way, as the Problems panel lists them. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countProblems, statusText, verdictText } from '../../../extension/problemCounts';

const ERROR = 0;
const WARNING = 1;
const INFO = 2;
const HINT = 3;

test("only Skene's errors and warnings count; infos, hints and other sources do not", () => {
  const counts = countProblems([
    { source: 'skene', severity: ERROR },
    { source: 'skene', severity: WARNING },
    { source: 'skene', severity: WARNING },
    { source: 'skene', severity: INFO },
    { source: 'skene', severity: HINT },
    { source: 'ts', severity: ERROR },
    { severity: ERROR },
  ]);
  assert.deepEqual(counts, { errors: 1, warnings: 2 });
  assert.equal(statusText(counts), '1 error, 2 warnings');
  assert.equal(verdictText(counts), '1 error, 2 warnings');
});

test('no errors or warnings: both say the loop is ok (infos alone are not problems)', () => {
  const counts = countProblems([{ source: 'skene', severity: INFO }]);
  assert.equal(statusText(counts), 'loop ok');
  assert.equal(verdictText(counts), 'loop ok (0 errors, 0 warnings)');
  assert.equal(statusText({ errors: 0, warnings: 3 }), '3 warnings');
  assert.equal(verdictText({ errors: 2, warnings: 0 }), '2 errors, 0 warnings');
});

test("Skene's problems in other files (a Python file that does not parse) are named after the config's", () => {
  assert.equal(verdictText({ errors: 1, warnings: 0 }, { errors: 0, warnings: 1 }), '1 error, 0 warnings; 1 warning in other files');
  assert.equal(verdictText({ errors: 0, warnings: 0 }, { errors: 0, warnings: 0 }), 'loop ok (0 errors, 0 warnings)');
});
