import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupSkips } from '../../../server/core/report/skipReasons';

test('run summary skip keys grouped into reasons: bookkeeping dropped, unknown keys kept, fixed order', () => {
  assert.deepEqual(groupSkips([
    { key: 'already_sent', count: 40 },
    { key: 'deferred:quiet_hours', count: 2 },
    { key: 'frequency_cap', count: 1 },
    { key: 'deferred:capped', count: 3 },
    { key: 'no_email', count: 4 },
    { key: 'suppressed', count: 1 },
    { key: 'exited:suppressed', count: 1 },
    { key: 'a_future_reason', count: 7 },
    { key: 'held_out', count: 9 },
    { key: 'exited:inactive', count: 0 },
  ]), [
    { reason: 'suppressed', count: 2, keys: ['suppressed', 'exited:suppressed'] },
    { reason: 'invalid_email', count: 4, keys: ['no_email'] },
    { reason: 'capped', count: 4, keys: ['frequency_cap', 'deferred:capped'] },
    { reason: 'quiet_hours', count: 2, keys: ['deferred:quiet_hours'] },
    { reason: 'a_future_reason', count: 7, keys: ['a_future_reason'] },
  ]);
});
