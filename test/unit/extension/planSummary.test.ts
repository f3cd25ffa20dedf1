/** Initialize's closing message names `migrate` only when a migration was written. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describePlan, writesMigration } from '../../../extension/planSummary';
import type { PlannedFile } from '../../../server/protocol';

const file = (path: string, action: PlannedFile['action'] = 'modify'): PlannedFile => ({ path, action, after: '', diff: '', reason: '' });

test('a migration among the written files: migrate is the next step; loops.json and the beat entry alone: it is not', () => {
  assert.equal(writesMigration([file('skene.config.ts'), file('accounts/migrations/0003_user_last_activity_at.py', 'create')]), true);
  assert.equal(writesMigration([file('skene_retention/migrations/0001_initial.py', 'create')]), true);
  assert.equal(writesMigration([file('skene_retention/loops.json'), file('config/settings/base.py'), file('.skene/generated.json')]), false);
  assert.equal(writesMigration([file('docs/migrations/notes.md'), file('skene_retention/migrations/__init__.py', 'create')]), false);
  assert.equal(describePlan([file('a', 'create'), file('b'), file('c')]), '1 new file, 2 changed files');
});
