// The golden vectors (test/vectors/*.json) against the TypeScript runtime; python.test.ts runs the same
// files against the Python runtime.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { backoffDelayMs } from '../../../sdk/runtime/backoff';
import { classifyAnswer } from '../../../sdk/runtime/classifyError';
import { checkCondition } from '../../../sdk/runtime/conditionGuard';
import { decideFirstStep, decideLaterStep } from '../../../sdk/runtime/eligibility';
import { emailBody, type EmailBodyInput } from '../../../sdk/runtime/emailBody';
import { batchBody, batchKey, idempotencyKey, sha256Hex } from '../../../sdk/runtime/keys';
import type { LoopManifest } from '../../../sdk/runtime/manifest';
import { arrayLiteral, audiencePageSql, usersByIdSql } from '../../../sdk/runtime/pageQueries';
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

  test('condition guard verdicts', async () => {
    for (const c of load('condition').cases) assert.equal((await checkCondition(c.query)).code, c.code, c.query);
  });

  test('the guard refuses invalid SQL (TypeScript only: Python has no parser)', async () => {
    assert.deepEqual(await checkCondition('SELEC id FROM t'), { accepted: false, code: 'syntax', message: 'the condition is not valid SQL: syntax error at or near "SELEC"' });
  });

  test('eligibility decisions', () => {
    const vectors = load('eligibility');
    for (const c of vectors.firstStep) assert.equal(decideFirstStep(c.candidate, c.history, c.suppressed, { frequencyCap: c.frequencyCap, nowMs: c.nowMs }), c.verdict, JSON.stringify(c));
    for (const c of vectors.laterStep) assert.equal(decideLaterStep(c.episodeCycle, c.currentCycle, c.email, c.suppressed), c.verdict, JSON.stringify(c));
  });

  test('SQL built around the audience query, and the ledger DDL hash', () => {
    const vectors = load('sql');
    assert.equal(sha256Hex(readFileSync(path.join(__dirname, '..', '..', '..', 'sdk', 'runtime', 'ledger.sql'), 'utf8')), vectors.ledgerSha256);
    for (const c of vectors.cases) {
      const manifest = c.manifest as LoopManifest;
      assert.equal(audiencePageSql(manifest, true), c.firstPage);
      assert.equal(audiencePageSql(manifest, false), c.nextPage);
      assert.equal(usersByIdSql(manifest), c.usersById);
    }
    for (const c of vectors.arrayLiteral) assert.equal(arrayLiteral(c.values), c.literal);
  });
});
