/**
 * The Copy Prompt for Cursor text names commands that work as written from the workspace folder: the npm
 * package with `--yes` (no install step, no prompt), behind `cd <project folder>` when the Django project is not
 * the workspace itself, and the migrate step in the same folder.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildCursorPrompt } from '../../../extension/cursorPrompt';
import type { ProjectFacts } from '../../../extension/projectFacts';
import { exampleProjectModel } from '../../fixtures/exampleProjectModel';

const facts: ProjectFacts = exampleProjectModel();

function commands(prompt: string): string[] {
  const spans = prompt.split('\n').flatMap((line) => [...line.matchAll(/`([^`]*)`/g)].map((m) => m[1] ?? ''));
  return spans.filter((span) => /skene-django|manage\.py/.test(span));
}

test('a project in a subfolder: every command enters it first', () => {
  const prompt = buildCursorPrompt(facts, false, 'backend');
  assert.deepEqual(commands(prompt), [
    'cd backend && npx --yes skene-django init --dry-run',
    'cd backend && npx --yes skene-django init --yes',
    'cd backend && npx --yes skene-django check --format json',
    'cd backend && python manage.py migrate',
    'cd backend && DATABASE_URL=postgres://… npx --yes skene-django run --once --dry-run',
  ]);
  assert.match(prompt, /from the workspace folder; they start with `cd backend`, the folder with manage\.py; the CLI is the skene-django npm package and needs no install step/);
});

test('the project is the workspace: no cd; an odd folder name is quoted', () => {
  assert.ok(commands(buildCursorPrompt(facts, true, '.')).every((command) => !command.startsWith('cd ')));
  assert.match(buildCursorPrompt(facts, true, "my app"), /`cd 'my app' && npx --yes skene-django check --format json`/);
});
