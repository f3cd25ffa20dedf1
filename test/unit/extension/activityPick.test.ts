/** Initialize's activity question: the items from the server's candidates, and what a pick sends for the next plan. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activityArgument, activityPickItems } from '../../../extension/activityPick';
import type { ActivitySources } from '../../../server/protocol';

const EVENT = { id: 'events.Event', table: 'events_event', userColumn: 'user_id', timeColumn: 'created_at', why: 'user_id is set on every row and created_at when the row is written (auto_now_add)' };
const AUDIT = { id: 'staff.AuditLog', table: 'staff_auditlog', userColumn: 'actor_id', timeColumn: 'created_at', why: "its name says it records staff or admin actions, not the user's own" };

test('the recommended table first with its evidence, the others with what is missing, the middleware last', () => {
  const sources: ActivitySources = { candidates: [AUDIT, EVENT], recommended: 'events.Event', used: 'events.Event', chosenBy: 'evidence' };
  const items = activityPickItems(sources);
  assert.deepEqual(items.map((i) => i.choice), ['events.Event', 'staff.AuditLog', 'middleware']);
  assert.deepEqual(items.map((i) => i.label), ['Inserts into events_event', 'Inserts into staff_auditlog', 'Middleware + login signal (no table)']);
  assert.equal(items[0]?.description, 'events.Event · user_id, created_at · recommended · in the plan');
  assert.equal(items[0]?.detail, `Evidence: ${EVENT.why}.`);
  assert.equal(items[1]?.detail, `Not recommended: ${AUDIT.why}.`);
  assert.equal(items[2]?.description, 'throttled, no trigger');
});

test('no table with evidence: the middleware is first and recommended', () => {
  const sources: ActivitySources = { candidates: [AUDIT], recommended: 'middleware', used: 'middleware', chosenBy: 'evidence' };
  const items = activityPickItems(sources);
  assert.deepEqual(items.map((i) => i.choice), ['middleware', 'staff.AuditLog']);
  assert.equal(items[0]?.description, 'throttled, no trigger · recommended · in the plan');
});

test('a pick maps to the next plan: none when the plan already uses it, auto for the recommendation, else the pick', () => {
  const byEvidence: ActivitySources = { candidates: [EVENT, AUDIT], recommended: 'events.Event', used: 'events.Event', chosenBy: 'evidence' };
  const [event, audit, middleware] = activityPickItems(byEvidence);
  assert.ok(event && audit && middleware);
  assert.equal(activityArgument(byEvidence, event), undefined);
  assert.equal(activityArgument(byEvidence, audit), 'staff.AuditLog');
  assert.equal(activityArgument(byEvidence, middleware), 'middleware');
  // An earlier run recorded the middleware: picking the recommendation goes back to the evidence ('auto').
  const picked: ActivitySources = { ...byEvidence, used: 'middleware', chosenBy: 'user' };
  assert.equal(activityArgument(picked, event), 'auto');
  assert.equal(activityArgument(picked, middleware), undefined);
});
