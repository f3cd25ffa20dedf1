// The golden vectors (test/vectors/*.json) against the TypeScript runtime; python.test.ts runs the same
// files against the Python runtime.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { backoffDelayMs } from '../../../sdk/runtime/backoff';
import { classifyAnswer } from '../../../sdk/runtime/classifyError';
import { checkCondition } from '../../../sdk/runtime/conditionGuard';
import { conditionTransactionSql } from '../../../sdk/runtime/readAudience';
import { conditionPageSql, FETCH_CONDITION_PAGE, OPEN_CONDITION_CURSOR, SET_CONDITION_PAGE } from '../../../sdk/runtime/conditionCursor';
import { loadConditionParser, sealCondition, verifySeal } from '../../../sdk/runtime/conditionSeal';
import { decideDelivery } from '../../../sdk/runtime/deliveryWindow';
import { decideFirstStep, decideLaterStep, isValidAddress } from '../../../sdk/runtime/eligibility';
import { capDeferral } from '../../../sdk/runtime/frequencyCap';
import { holdoutBucket, isHeldOut } from '../../../sdk/runtime/holdout';
import { liftStats, newcombeInterval } from '../../../sdk/runtime/liftStats';
import { reportSql } from '../../../sdk/runtime/reportQuery';
import { quietUntil } from '../../../sdk/runtime/quietHours';
import { emailBody, type EmailBodyInput } from '../../../sdk/runtime/emailBody';
import { batchBody, batchKey, idempotencyKey, sha256Hex } from '../../../sdk/runtime/keys';
import type { LoopManifest } from '../../../sdk/runtime/manifest';
import { arrayLiteral, audiencePageSql, conversionSweepSql, usersByIdSql } from '../../../sdk/runtime/pageQueries';
import { renderEmail, type RenderInput } from '../../../sdk/runtime/render';
import { scheduledTick } from '../../../sdk/runtime/scheduledTick';
import { unsubscribeLink, unsubscribeToken, verifyUnsubscribeToken } from '../../../sdk/runtime/unsubscribe';

const VECTORS = path.join(__dirname, '..', '..', 'vectors');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const load = (name: string): any => JSON.parse(readFileSync(path.join(VECTORS, `${name}.json`), 'utf8'));

describe('golden vectors (TypeScript runtime)', () => {
  test('idempotency and batch keys', () => {
    const keys = load('keys');
    for (const c of keys.idempotency) {
      const key = idempotencyKey(c.loopId, c.step, c.userId, c.cycle);
      assert.equal(key, c.key);
      assert.ok(key.length <= 256);
    }
    for (const c of keys.batch) assert.equal(batchKey(c.loopId, c.memberKeys), c.key);
    assert.equal(batchBody(keys.batchBody.bodies), keys.batchBody.body);
    for (const c of keys.sha256) assert.equal(sha256Hex(c.text), c.hex);
  });

  test('renderer and email bodies', () => {
    const vectors = load('render');
    for (const c of vectors.render) assert.deepEqual(renderEmail(c.input as RenderInput), c.output);
    for (const c of vectors.emailBody) assert.equal(emailBody(c.input as EmailBodyInput), c.body);
  });

  test('unsubscribe tokens and links', () => {
    for (const c of load('unsubscribe').cases) {
      assert.equal(unsubscribeToken(c.secret, c.loopId, c.userId), c.token);
      assert.equal(unsubscribeLink(c.baseUrl, c.secret, c.loopId, c.userId), c.link);
      assert.equal(verifyUnsubscribeToken(c.secret, c.loopId, c.userId, c.token), true);
      assert.equal(verifyUnsubscribeToken(`${c.secret}x`, c.loopId, c.userId, c.token), false);
    }
  });

  test('error classification table', () => {
    for (const c of load('classify').cases) assert.deepEqual(classifyAnswer(c.answer, c.nowMs ?? 0), c.expected, JSON.stringify(c.answer));
  });

  test('backoff sequences with an injected random source', () => {
    for (const c of load('backoff').sequences) {
      const draws = [...c.random];
      const random = () => draws.shift() as number;
      const delays = c.expected.map((_: number, attempt: number) => backoffDelayMs(c.policy, attempt, c.retryAfterMs[attempt], random));
      assert.deepEqual(delays, c.expected);
    }
  });

  test('scheduled ticks', () => {
    for (const c of load('ticks').cases) assert.equal(scheduledTick(c.cron, c.timezone, new Date(c.now)).toISOString(), c.tick, `${c.cron} ${c.timezone} ${c.now}`);
  });

  test('condition gate verdicts, and the sealed (deparsed + sha256) text of every accepted condition', async () => {
    await loadConditionParser();
    for (const c of load('condition').cases) {
      assert.equal((await checkCondition(c.query)).code, c.code, c.query);
      const seal = sealCondition(c.query);
      assert.deepEqual(seal.ok ? seal.sealed : null, c.sealed, c.query);
      if (c.sealed) assert.deepEqual({ again: sealCondition(c.sealed.query), verified: verifySeal(c.sealed.query, c.sealed.sha256) }, { again: { ok: true, sealed: c.sealed }, verified: null });
    }
  });

  test('the guard refuses invalid SQL (TypeScript only: Python has no parser)', async () => {
    assert.deepEqual(await checkCondition('SELEC id FROM t'), { accepted: false, code: 'syntax', message: 'the condition is not valid SQL: syntax error at or near "SELEC"' });
  });

  test('eligibility decisions', () => {
    const vectors = load('eligibility');
    for (const c of vectors.addresses) assert.equal(isValidAddress(c.email), c.valid, JSON.stringify(c.email));
    for (const c of vectors.firstStep) assert.equal(decideFirstStep(c.candidate, c.history, c.suppressed, { frequencyCap: c.frequencyCap, nowMs: c.nowMs, holdout: c.holdout }), c.verdict, JSON.stringify(c));
    for (const c of vectors.laterStep) {
      const { verdict, ...state } = c;
      assert.equal(decideLaterStep(state), verdict, JSON.stringify(c));
    }
  });

  test('holdout buckets, and the share on 100k ids within ±1 pp', () => {
    const vectors = load('holdout');
    for (const c of vectors.cases) {
      assert.deepEqual({ bucket: holdoutBucket(c.loopId, c.userId), at10: isHeldOut(c.loopId, c.userId, 0.1), at50: isHeldOut(c.loopId, c.userId, 0.5) }, { bucket: c.bucket, at10: c.heldOutAt10, at50: c.heldOutAt50 });
    }
    const { loopId, n, share, heldOut } = vectors.bulk;
    let held = 0;
    for (let user = 1; user <= n; user++) if (isHeldOut(loopId, String(user), share)) held++;
    assert.deepEqual({ held, withinOnePoint: Math.abs(held / n - share) <= 0.01 }, { held: heldOut, withinOnePoint: true });
  });

  test('global frequency cap, quiet hours and the delivery decision', () => {
    const vectors = load('delivery');
    for (const c of vectors.capDeferral) assert.equal(capDeferral(c.recentMs, c.cap, c.nowMs), c.notBeforeMs, JSON.stringify(c));
    for (const c of vectors.quietUntil) assert.equal(quietUntil(c.nowMs, c.zone, c), c.untilMs, JSON.stringify(c));
    for (const c of vectors.decide) assert.deepEqual(decideDelivery(c.rules, c.row, c.recentMs, c.nowMs), c.verdict, JSON.stringify(c));
  });

  test('lift statistics (Newcombe 1998 table II) and the report query', () => {
    const vectors = load('report');
    const close = (got: unknown, expected: unknown, what: string) => {
      if (typeof expected === 'number') assert.ok(Math.abs((got as number) - expected) <= 1e-12, `${what}: ${String(got)} vs ${expected}`);
      else if (Array.isArray(expected)) expected.forEach((e, i) => close((got as number[])[i], e, what));
      else assert.equal(got, expected, what);
    };
    for (const c of vectors.stats) {
      const got = liftStats(c.input) as unknown as Record<string, unknown>;
      for (const [key, expected] of Object.entries(c.output)) close(got[key], expected, `${JSON.stringify(c.input)} ${key}`);
    }
    for (const c of vectors.published) {
      const [low, high] = newcombeInterval(c.x1, c.n1, c.x2, c.n2);
      assert.deepEqual([Number(low.toFixed(4)), Number(high.toFixed(4))], [c.low, c.high]);
    }
    for (const c of vectors.reportSql) assert.equal(reportSql(c.source), c.sql);
  });

  test('SQL built around the audience query, and the ledger DDL hash', () => {
    const vectors = load('sql');
    assert.equal(sha256Hex(readFileSync(path.join(__dirname, '..', '..', '..', 'sdk', 'runtime', 'ledger.sql'), 'utf8')), vectors.ledgerSha256);
    for (const c of vectors.conditionTransaction) assert.equal(conditionTransactionSql(c.manifest), c.sql);
    for (const c of vectors.cases) {
      const manifest = c.manifest as LoopManifest;
      assert.equal(audiencePageSql(manifest, true), c.firstPage);
      assert.equal(audiencePageSql(manifest, false), c.nextPage);
      assert.equal(usersByIdSql(manifest), c.usersById);
      assert.equal(conversionSweepSql(manifest), c.conversionSweep);
      for (const page of c.pages) assert.equal(conditionPageSql(manifest, page.afterId, page.limit), page.sql);
    }
    assert.deepEqual({ set: SET_CONDITION_PAGE, open: OPEN_CONDITION_CURSOR, fetch: FETCH_CONDITION_PAGE }, vectors.conditionCursor);
    for (const c of vectors.arrayLiteral) assert.equal(arrayLiteral(c.values), c.literal);
  });
});
