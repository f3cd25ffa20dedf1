/**
 * The walkthrough's Initialize step describes the UI that really runs: each question Initialize asks, in the
 * words of its title, and the review's keys as its placeholder states them (the e2e test sees those titles on
 * screen). An earlier text described a refactor preview with an Apply button that Initialize never shows.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ACTIVITY_PICK_TITLE } from '../../../extension/activityPick';
import { AGENT_FILES_TITLE, REVIEW_PLACEHOLDER } from '../../../extension/initializeTexts';

const root = path.resolve(__dirname, '../../..');
const walkthrough = readFileSync(path.join(root, 'media/walkthrough/initialize.md'), 'utf8').replace(/\s+/g, ' ');

/** "Skene: what counts as a user being active?" -> "what counts as a user being active" */
const question = (title: string) => title.replace(/^Skene: /, '').replace(/\?$/, '');

test('the Initialize step names each question Initialize asks, in its own words', () => {
  for (const title of [ACTIVITY_PICK_TITLE, AGENT_FILES_TITLE]) {
    assert.ok(walkthrough.includes(`**${question(title)}**`), `the walkthrough does not name "${question(title)}"`);
  }
});

test('the Initialize step gives the review keys the placeholder gives, and no button the UI lacks', () => {
  const [enter, escape] = REVIEW_PLACEHOLDER.split(' · ') as [string, string];
  assert.match(enter, /^Enter writes/);
  assert.match(escape, /^Escape writes nothing$/);
  assert.match(walkthrough, /press \*\*Enter\*\* to write/);
  assert.match(walkthrough, /\*\*Escape\*\* writes nothing/);
  assert.doesNotMatch(walkthrough, /refactor preview|\bApply\b/i);
});

test('the walkthrough lists the agent files as a choice, not as files always written', () => {
  const files = walkthrough.slice(0, walkthrough.indexOf('When your project'));
  assert.doesNotMatch(files, /skene\.mdc|AGENTS\.md/);
});
