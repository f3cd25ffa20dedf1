// RUNTIME.md guarantees 7, 8, 10 and 11 as frozen-clock scenarios on real PostgreSQL and the fake Resend, each
// in both runtimes: dormancy cycles and sequences, the global frequency cap across loops, quiet hours in
// three time zones, the holdout, milestones under concurrent runs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startFakeResend, type FakeResend } from '../helpers/fakeResend';
import { withPostgres } from '../helpers/postgres';
import { isHeldOut } from '../../sdk/runtime/holdout';
import { campaignManifest, counts, DAY_MS, deliveries, laterStep, ledgerLines, runAt, seedCampaign, setActivity, setToday, type Runtime } from '../unit/runtime/fixtures/campaignFixture';
import { childResult, queryRows, spawnRunner, testManifest, TEST_API_KEY, TEST_SECRET } from '../unit/runtime/fixtures/runtimeFixture';

const T0 = new Date('2024-06-03T09:00:00.000Z');
const day = (n: number, hours = 0) => new Date(T0.getTime() + n * DAY_MS + hours * 3_600_000);
const RUNTIMES: Runtime[] = ['ts', 'python'];

describe('campaign scenarios (frozen clock, both runtimes)', () => {
  const pg = withPostgres();
  let dbCount = 0;
  async function database(): Promise<{ url: string; fake: FakeResend }> {
    return { url: await pg.cluster.createDatabase(`campaign_${++dbCount}`), fake: await startFakeResend() };
  }

  for (const runtime of RUNTIMES) {
    test(`${runtime}: dormant → day-0 email → returns day 2 → no day-3/day-7 email; dormant again later → one new day-0 email`, async () => {
      const { url, fake } = await database();
      try {
        await seedCampaign(url, [{ id: 1, lastActivity: day(-30) }, { id: 2, lastActivity: day(-30) }], day(0));
        const manifest = campaignManifest({ globalCap: { perDay: 1, perWeek: 3 }, steps: [testManifest().steps[0] as never, laterStep(1, 3, 'Day 3'), laterStep(2, 7, 'Day 7')] });
        const runs: Record<string, unknown> = {};
        runs.day0 = await runAt(runtime, url, fake, manifest, day(0));
        await setToday(url, day(2, 2));
        await setActivity(url, 1, day(2, 1));
        for (const n of [3, 7, 40]) {
          await setToday(url, day(n));
          runs[`day${n}`] = await runAt(runtime, url, fake, manifest, day(n));
        }
        assert.deepEqual({ runs, deliveries: deliveries(fake), ledger: await ledgerLines(url) }, {
          runs: {
            day0: counts({ candidates: 2, claimed: 2, sent: 2 }),
            day3: counts({ candidates: 3, claimed: 1, sent: 1, skipped: { already_sent: 1, 'exited:returned': 1 } }),
            day7: counts({ candidates: 2, claimed: 1, sent: 1, skipped: { already_sent: 1 } }),
            day40: counts({ candidates: 2, claimed: 1, sent: 1, skipped: { already_sent: 1 } }),
          },
          deliveries: ['user1@example.com: We miss you, User 1', 'user2@example.com: We miss you, User 2', 'user2@example.com: Day 3', 'user2@example.com: Day 7', 'user1@example.com: We miss you, User 1'],
          ledger: [
            { user_id: '1', step: 0, status: 'sent', reason: null },
            { user_id: '2', step: 0, status: 'sent', reason: null },
            { user_id: '1', step: 1, status: 'exited', reason: 'returned' },
            { user_id: '2', step: 1, status: 'sent', reason: null },
            { user_id: '2', step: 2, status: 'sent', reason: null },
            { user_id: '1', step: 0, status: 'sent', reason: null },
          ],
        });
      } finally {
        await fake.stop();
      }
    });

    test(`${runtime}: inactive and suppressed people are skipped, and a user who unsubscribes mid-sequence leaves it`, async () => {
      const { url, fake } = await database();
      try {
        await seedCampaign(url, [{ id: 1, lastActivity: day(-30) }, { id: 2, lastActivity: day(-30), isActive: false }, { id: 3, lastActivity: day(-30) }], day(0));
        await queryRows(url, "INSERT INTO skene_suppression (email, reason) VALUES ('user3@example.com', 'complained')");
        // A custom query that forgets is_active: the runtime still never emails an inactive account.
        const manifest = campaignManifest({ audience: { query: "SELECT id, email, first_name, timezone, is_active, last_activity_at FROM app_user WHERE last_activity_at < (SELECT t FROM sim_clock) - interval '7 days'", timeoutMs: 10_000 }, steps: [testManifest().steps[0] as never, laterStep(1, 3, 'Day 3')] });
        const first = await runAt(runtime, url, fake, manifest, day(0));
        await queryRows(url, "INSERT INTO skene_suppression (email, reason) VALUES ('user1@example.com', 'unsubscribed')");
        await setToday(url, day(3));
        const later = await runAt(runtime, url, fake, manifest, day(3));
        assert.deepEqual({ first, later, deliveries: deliveries(fake), ledger: await ledgerLines(url) }, {
          first: counts({ candidates: 3, claimed: 1, sent: 1, skipped: { inactive: 1, suppressed: 1 } }),
          later: counts({ candidates: 4, skipped: { inactive: 1, suppressed: 2, 'exited:suppressed': 1 } }),
          deliveries: ['user1@example.com: We miss you, User 1'],
          ledger: [{ user_id: '1', step: 0, status: 'sent', reason: null }, { user_id: '1', step: 1, status: 'exited', reason: 'suppressed' }],
        });
      } finally {
        await fake.stop();
      }
    });

    test(`${runtime}: quiet hours in three time zones are deferred to their end, then sent`, async () => {
      const { url, fake } = await database();
      try {
        const zones = { 1: 'America/New_York', 2: 'Europe/Paris', 3: 'Asia/Tokyo', 4: 'Not/AZone' };
        await seedCampaign(url, Object.entries(zones).map(([id, timezone]) => ({ id: Number(id), timezone, lastActivity: day(-30) })), day(0));
        const manifest = campaignManifest({ cron: '0 * * * *', quietHours: { start: '21:00', end: '08:00', timezone: 'Europe/Paris' } });
        const at = (iso: string) => new Date(iso);
        const runs: Record<string, unknown> = {};
        // 01:30 UTC: New York 21:30 (quiet until 12:00 UTC), Paris 03:30 (until 06:00 UTC), Tokyo 10:30 (send),
        // an unknown zone falls back to the loop's Paris.
        runs.night = await runAt(runtime, url, fake, manifest, at('2024-06-04T01:30:00Z'));
        const deferred = await queryRows(url, "SELECT user_id, reason, not_before FROM skene_send_ledger WHERE status = 'deferred' ORDER BY user_id");
        runs.paris = await runAt(runtime, url, fake, manifest, at('2024-06-04T06:30:00Z'));
        runs.newYork = await runAt(runtime, url, fake, manifest, at('2024-06-04T12:30:00Z'));
        assert.deepEqual({ runs, deferred, deliveries: deliveries(fake).map((line) => line.split(':')[0]) }, {
          runs: {
            night: counts({ candidates: 4, claimed: 1, sent: 1, skipped: { 'deferred:quiet_hours': 3 } }),
            paris: counts({ candidates: 6, claimed: 2, sent: 2, skipped: { already_sent: 3, already_deferred: 1 } }),
            newYork: counts({ candidates: 5, claimed: 1, sent: 1, skipped: { already_sent: 4 } }),
          },
          deferred: [
            { user_id: '1', reason: 'quiet_hours', not_before: at('2024-06-04T12:00:00Z') },
            { user_id: '2', reason: 'quiet_hours', not_before: at('2024-06-04T06:00:00Z') },
            { user_id: '4', reason: 'quiet_hours', not_before: at('2024-06-04T06:00:00Z') },
          ],
          deliveries: ['user3@example.com', 'user2@example.com', 'user4@example.com', 'user1@example.com'],
        });
      } finally {
        await fake.stop();
      }
    });

    test(`${runtime}: holdout users get a held_out row and no email, the same ones in both runtimes`, async () => {
      const { url, fake } = await database();
      try {
        await seedCampaign(url, Array.from({ length: 40 }, (_unused, i) => ({ id: i + 1, lastActivity: day(-30) })), day(0));
        const manifest = campaignManifest({ holdout: 0.25 });
        const summary = await runAt(runtime, url, fake, manifest, day(0));
        const expected = Array.from({ length: 40 }, (_unused, i) => String(i + 1)).filter((id) => isHeldOut('winback', id, 0.25));
        const held = (await queryRows<{ user_id: string }>(url, "SELECT user_id FROM skene_send_ledger WHERE status = 'held_out' ORDER BY user_id::int")).map((r) => r.user_id);
        const emailed = new Set(fake.uniqueEmails().map((e) => e.to[0]));
        assert.deepEqual({ summary, held, heldEmailed: held.filter((id) => emailed.has(`user${id}@example.com`)) }, {
          summary: counts({ candidates: 40, claimed: 40 - expected.length, sent: 40 - expected.length, skipped: { held_out: expected.length } }),
          held: expected,
          heldEmailed: [],
        });
      } finally {
        await fake.stop();
      }
    });
  }

  for (const [first, second] of [['ts', 'python'], ['python', 'ts']] as Array<[Runtime, Runtime]>) {
    test(`two loops the same day (${first} then ${second}) → one send, one deferred:capped, sent the next day`, async () => {
      const { url, fake } = await database();
      try {
        await seedCampaign(url, [{ id: 1, lastActivity: day(-30) }], day(0));
        const cap = { globalCap: { perDay: 1, perWeek: 3 } };
        const winback = campaignManifest({ id: 'winback', ...cap });
        const upsell = campaignManifest({ id: 'upsell', ...cap, steps: [{ ...(testManifest().steps[0] as LoopManifestStep), subject: 'Upgrade?' }] });
        const sent = await runAt(first, url, fake, winback, day(0));
        const capped = await runAt(second, url, fake, upsell, day(0, 2));
        const notBefore = await queryRows(url, "SELECT not_before FROM skene_send_ledger WHERE loop_id = 'upsell'");
        const tooEarly = await runAt(first, url, fake, upsell, day(0, 5));
        await setToday(url, day(1, 3));
        const nextDay = await runAt(second, url, fake, upsell, day(1, 3));
        assert.deepEqual({ sent, capped, tooEarly, nextDay, deliveries: deliveries(fake), notBefore }, {
          sent: counts({ candidates: 1, claimed: 1, sent: 1 }),
          capped: counts({ candidates: 1, skipped: { 'deferred:capped': 1 } }),
          tooEarly: counts({ candidates: 1, skipped: { already_deferred: 1 } }),
          nextDay: counts({ candidates: 2, claimed: 1, sent: 1, skipped: { already_sent: 1 } }),
          deliveries: ['user1@example.com: We miss you, User 1', 'user1@example.com: Upgrade?'],
          notBefore: [{ not_before: (await queryRows<{ t: Date }>(url, "SELECT sent_at + interval '1 day' AS t FROM skene_send_ledger WHERE loop_id = 'winback'"))[0]?.t }],
        });
      } finally {
        await fake.stop();
      }
    });
  }

  test('milestone: TS and Python runners started together, lease off → each user gets the milestone email once', async () => {
    const { url, fake } = await database();
    try {
      await seedCampaign(url, Array.from({ length: 60 }, (_unused, i) => ({ id: i + 1, lastActivity: day(-1) })), day(0));
      await queryRows(url, 'CREATE TABLE app_event (user_id bigint, n int)');
      await queryRows(url, 'INSERT INTO app_event SELECT g, 100 + g FROM generate_series(1, 50) AS g');
      const manifest = testManifest({
        id: 'hundredth-event', type: 'milestone', milestone: 'events-100', pageSize: 10, batchSize: 5,
        audience: { query: 'SELECT u.id, u.email, u.first_name, u.last_activity_at FROM app_user u JOIN app_event e ON e.user_id = u.id WHERE e.n >= 100', timeoutMs: 10_000 },
      });
      const race = async () => {
        const startAt = Date.now() + 1500;
        const job = { manifest, databaseUrl: url, baseUrl: fake.url, apiKey: TEST_API_KEY, secret: TEST_SECRET, exclusive: false, startAt };
        const results = await Promise.all([spawnRunner('ts', job), spawnRunner('python', job)].map(childResult));
        for (const result of results) assert.equal(result.code, 0, result.stderr);
        return results.reduce((sum, r) => sum + Number(r.summary?.sent ?? 0), 0);
      };
      const firstRace = await race();
      const secondRace = await race();
      const emails = fake.uniqueEmails();
      const cycles = await queryRows(url, "SELECT DISTINCT cycle FROM skene_send_ledger WHERE loop_id = 'hundredth-event'");
      assert.deepEqual({ firstRace, secondRace, delivered: emails.length, recipients: new Set(emails.map((e) => e.to[0])).size, cycles }, {
        firstRace: 50, secondRace: 0, delivered: 50, recipients: 50, cycles: [{ cycle: 'milestone:events-100' }],
      });
    } finally {
      await fake.stop();
    }
  });
});

type LoopManifestStep = ReturnType<typeof testManifest>['steps'][number];
