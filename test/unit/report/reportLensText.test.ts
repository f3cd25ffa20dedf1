import assert from 'node:assert/strict';
import { test } from 'node:test';
import { liftStats } from '../../../sdk/runtime/liftStats';
import { loadingLensText, reportLensText, unavailableLensText } from '../../../server/core/report/reportLensText';
import type { StepReport } from '../../../server/core/report/reportTypes';

function step(sent: number, sentConverted: number, held: number, heldConverted: number): StepReport {
  const counts = { step: 0, sent, sentConverted, sentOpen: 0, held, heldConverted };
  return { ...counts, ...liftStats(counts), template: 'winback', delayDays: 0 };
}

test('the lens shows step 1: sent, re-engaged rate, lift and its 95 % interval, or why there is no conclusion', () => {
  assert.deepEqual(
    [
      reportLensText({ steps: [step(100, 40, 50, 10), step(60, 6, 45, 5)] }),
      reportLensText({ steps: [step(120, 17, 400, 44)] }),
      reportLensText({ steps: [step(0, 0, 40, 0)] }),
      reportLensText({ steps: [] }),
      reportLensText({ steps: [step(200, 60, 10, 2)] }),
      reportLensText({ steps: [step(10, 2, 100, 30)] }),
      reportLensText({ steps: [step(50, 10, 0, 0)] }),
      loadingLensText(),
      unavailableLensText('authentication failed'),
    ],
    [
      'Report · sent 100 · re-engaged 40.0 % · lift +20.0 pp (95 % CI +4.1…+33.1)',
      'Report · sent 120 · re-engaged 14.2 % · lift +3.2 pp (95 % CI −3.0…+11.0)',
      'Report · no sends yet',
      'Report · no sends yet',
      'Report · sent 200 · re-engaged 30.0 % · holdout too small',
      'Report · sent 10 · re-engaged 20.0 % · too few to conclude',
      'Report · sent 50 · re-engaged 20.0 % · no holdout',
      'Report · loading…',
      'Report · unavailable: authentication failed',
    ],
  );
});
