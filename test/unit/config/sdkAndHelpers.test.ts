import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defineLoop, formatDuration, parseDuration, parseLoops, suggestDuration, toManifest } from '../../../sdk/index';
import { describeCron } from '../../../server/core/config/describeCron';
import { didYouMean } from '../../../server/core/config/didYouMean';
import { nodeAtOffset } from '../../../server/core/config/nodeAtOffset';
import { readConfigSource } from '../../../server/core/config/readConfigSource';
import { SEED } from './configCases';
import { mark } from './configTestKit';

describe('durations parse one way', () => {
  test('canonical forms', () => {
    assert.deepEqual(['10m', '7d', '36h', '30s', '2w', '0m'].map(parseDuration), [600_000, 604_800_000, 129_600_000, 30_000, 1_209_600_000, 0]);
  });
  test('everything else is rejected', () => {
    assert.deepEqual(['10 m', '10M', '1.5h', '', 'm', '-1d', '10min'].map(parseDuration), [null, null, null, null, null, null, null]);
  });
  test('formatting round-trips and picks the largest exact unit', () => {
    assert.deepEqual([600_000, 129_600_000, 86_400_000, 45_000, 1_500].map(formatDuration), ['10m', '36h', '1d', '45s', '2s']);
  });
  test('suggestions for what people type', () => {
    assert.deepEqual(['10 min', '7 days', '1H', '2 weeks', 'soon', '5'].map(suggestDuration), ['10m', '7d', '1h', '2w', null, null]);
  });
});

describe('sdk: defineLoop, parseLoops, toManifest', () => {
  const seed = defineLoop({
    type: 'retention',
    steps: [{
      trigger: { type: 'schedule', cron: '0 9 * * *' },
      condition: { type: 'query', query: 'SELECT id, email FROM accounts_user', timeout: '10m' },
      action: { type: 'email', provider: 'resend', template: 're_engagement', personalization: { name: '{{user.first_name}}' } },
    }, {
      id: 'reminder',
      delay: '3d',
      action: { type: 'email', template: 're_engagement', subject: 'Still there?' },
    }],
    recovery: { retries: 3, backoff: 'exponential' },
  });

  test('the manifest has every default filled in and durations in ms', () => {
    assert.deepEqual(toManifest(parseLoops(seed), { defaultTimezone: 'Europe/Paris' }), {
      manifestVersion: 1,
      loops: [{
        id: 'retention',
        type: 'retention',
        opinion: null,
        audience: 'all',
        schedule: { cron: '0 9 * * *', timezone: 'Europe/Paris' },
        query: 'SELECT id, email FROM accounts_user',
        timeoutMs: 600_000,
        steps: [
          { id: 'step-1', index: 0, delayMs: 0, channel: 'email', provider: 'resend', template: 're_engagement', subject: null, from: null, replyTo: null, personalization: { name: '{{user.first_name}}' } },
          { id: 'reminder', index: 1, delayMs: 259_200_000, channel: 'email', provider: 'resend', template: 're_engagement', subject: 'Still there?', from: null, replyTo: null, personalization: {} },
        ],
        exit: { onActivity: true, query: null },
        recovery: { retries: 3, backoff: 'exponential', baseDelayMs: 30_000, maxDelayMs: 3_600_000 },
        tracking: { conversionWindowMs: 1_209_600_000, holdout: 0.1 },
        frequencyCap: { max: 1, perMs: 2_592_000_000 },
        globalCap: { perDay: 1, perWeek: 3 },
        milestone: null,
        quietHours: null,
      }],
    });
  });

  test('parseLoops throws on an invalid loop', () => {
    assert.throws(() => parseLoops({ type: 'retention', steps: [] }), /steps/);
  });
});

describe('hover helpers', () => {
  test('describeCron gives words and the next three runs in the zone', () => {
    assert.deepEqual(describeCron('0 9 * * 1-5', 'Europe/Paris', new Date('2025-03-07T12:00:00Z')), {
      expression: '0 9 * * 1-5',
      timezone: 'Europe/Paris',
      text: 'At 09:00, Monday through Friday',
      nextRuns: ['2025-03-10T08:00:00.000Z', '2025-03-11T08:00:00.000Z', '2025-03-12T08:00:00.000Z'],
      nextRunsLocal: ['2025-03-10 09:00', '2025-03-11 09:00', '2025-03-12 09:00'],
    });
    assert.equal(describeCron('0 9 * *', 'UTC'), null);
    assert.equal(describeCron('0 9 * * *', 'Mars/Olympus'), null);
  });

  test('nodeAtOffset finds the value under a `|` cursor with its path', () => {
    const marked = mark(SEED.replace("cron: '0 9", "cron: '0| 9"), { cursor: true });
    const root = readConfigSource(marked.text).loops[0]?.tree;
    assert.ok(root && marked.cursor !== null);
    const hit = nodeAtOffset(root, marked.cursor);
    assert.deepEqual({ path: hit?.path, kind: hit?.node.kind, onKey: hit?.onKey }, { path: ['steps', 0, 'trigger', 'cron'], kind: 'string', onKey: false });
  });

  test('nodeAtOffset on a key', () => {
    const marked = mark(SEED.replace('recovery:', 'reco|very:'), { cursor: true });
    const root = readConfigSource(marked.text).loops[0]?.tree;
    assert.ok(root && marked.cursor !== null);
    const hit = nodeAtOffset(root, marked.cursor);
    assert.deepEqual({ path: hit?.path, onKey: hit?.onKey, key: hit?.property?.key }, { path: ['recovery'], onKey: true, key: 'recovery' });
  });

  test('did-you-mean understands Django prefixes and swapped letters', () => {
    assert.deepEqual(didYouMean('users', ['accounts_user', 'events_event', 'django_session']), ['accounts_user']);
    assert.deepEqual(didYouMean('name', ['id', 'username', 'first_name', 'last_name', 'email']), ['first_name', 'last_name']);
    assert.deepEqual(didYouMean('emial', ['email', 'id']), ['email']);
    assert.deepEqual(didYouMean('re_engagement_sent', ['id', 'email', 'last_activity_at']), []);
  });
});
