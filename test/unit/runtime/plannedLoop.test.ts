// A config using the campaign keys (milestone, globalCap, quietHours, tracking) → the planned loop both runtimes
// execute (loops.json): every field the runtimes read is there, with defaults and durations resolved.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadConditionParser } from '../../../sdk/runtime/conditionSeal';
import { parseLoops } from '../../../sdk/defineLoop';
import { toManifest } from '../../../sdk/manifest';
import { toPlannedLoop } from '../../../sdk/runtimeManifest';

const FACTS = { userTable: 'accounts_user', userIdColumn: 'id', emailColumn: 'email', activityColumn: 'last_activity_at', templateDir: 'templates', timezoneColumn: 'timezone', isActiveColumn: 'is_active' };

before(() => loadConditionParser());

test('a milestone loop with caps and quiet hours plans every campaign field', () => {
  const [loop] = parseLoops({
    id: 'first-paid-month',
    type: 'milestone',
    milestone: 'paid-30d',
    steps: [{ trigger: { type: 'schedule', cron: '0 * * * *', timezone: 'Europe/Paris' }, condition: { type: 'query', query: 'SELECT id, email, timezone FROM accounts_user' }, action: { type: 'email', template: 'thanks' } }],
    globalCap: { perWeek: 2 },
    quietHours: { start: '21:00', end: '08:00' },
    tracking: { holdout: 0.2, conversionWindow: '7d' },
  });
  const planned = toPlannedLoop(toManifest([loop!]).loops[0]!, FACTS);
  const { id, type, holdout, conversionWindowSeconds, globalCap, quietHours, timezoneColumn, isActiveColumn, milestone, frequencyCap } = planned;
  assert.deepEqual({ id, type, holdout, conversionWindowSeconds, globalCap, quietHours, timezoneColumn, isActiveColumn, milestone, frequencyCap }, {
    id: 'first-paid-month', type: 'milestone', holdout: 0.2, conversionWindowSeconds: 604_800,
    globalCap: { perDay: 1, perWeek: 2 },
    quietHours: { start: '21:00', end: '08:00', timezone: 'Europe/Paris' },
    timezoneColumn: 'timezone', isActiveColumn: 'is_active', milestone: 'paid-30d',
    frequencyCap: { max: 1, perSeconds: 2_592_000 },
  });
});

test('a retention loop has no milestone key; the milestone key defaults to the loop id', () => {
  const base = { steps: [{ trigger: { type: 'schedule', cron: '0 9 * * *' }, condition: { type: 'query', query: 'SELECT id, email FROM accounts_user' }, action: { type: 'email', template: 'x' } }] } as const;
  const loops = parseLoops([{ ...base, id: 'winback', type: 'retention' }, { ...base, id: 'hundredth-event', type: 'milestone' }]);
  assert.deepEqual(toManifest(loops).loops.map((l) => [l.id, l.milestone, l.globalCap]), [
    ['winback', null, { perDay: 1, perWeek: 3 }],
    ['hundredth-event', 'hundredth-event', { perDay: 1, perWeek: 3 }],
  ]);
});
