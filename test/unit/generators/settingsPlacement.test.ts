/**
 * INSTALLED_APPS and MIDDLEWARE edits in settings shaped as public projects write them (Tandoor recipes; the
 * project's code is not copied here): the list reassigned from itself after the literal
 * (`INSTALLED_APPS = INSTALLED_APPS + SOCIAL_PROVIDERS`) used to end in "add the Skene entry by hand", and a
 * later `MIDDLEWARE.insert(N, ...)` counts positions, so an entry inserted in the middle would move the
 * project's own middleware. plainblog copied to a temporary folder with its settings changed.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { planInit } from '../../../generators/planInit';
import type { InitPlan } from '../../../generators/types';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { diskReader } from './planKit';

const PLAINBLOG = path.resolve(__dirname, '../../fixtures/init/plainblog');
const SETTINGS = 'blogsite/settings.py';
const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function planWithSettings(change: (text: string) => string): Promise<InitPlan> {
  const dir = mkdtempSync(path.join(tmpdir(), 'skene-settings-'));
  dirs.push(dir);
  cpSync(PLAINBLOG, dir, { recursive: true });
  writeFileSync(path.join(dir, SETTINGS), change(readFileSync(path.join(dir, SETTINGS), 'utf8')));
  await loadSqlParser();
  return planInit(await analyzeProject(dir), {}, diskReader(dir));
}

const settingsAfter = (p: InitPlan) => p.files.find((f) => f.path === SETTINGS)?.after ?? '';

describe('settings lists in real shapes', () => {
  test('INSTALLED_APPS reassigned from itself after the literal: the entry goes into the literal', async () => {
    const p = await planWithSettings((text) => `${text}\nEXTRA_APPS = os.environ.get('EXTRA_APPS', '').split(',')\nINSTALLED_APPS = INSTALLED_APPS + EXTRA_APPS\n`);
    assert.equal(p.notes.some((n) => n.message.includes('INSTALLED_APPS') && n.message.includes('by hand')), false);
    assert.match(settingsAfter(p), /^INSTALLED_APPS = \['django\.contrib\.auth', 'django\.contrib\.contenttypes', 'django\.contrib\.sessions', 'posts', 'skene_retention'\]$/m);
  });

  test('MIDDLEWARE.insert(N, ...) later: the activity middleware goes at the end, so N still means what it meant', async () => {
    const withMessages = (text: string) => text.replace("  # sets request.user\n", "  # sets request.user\n    'django.contrib.messages.middleware.MessageMiddleware',\n");
    const p = await planWithSettings((text) => `${withMessages(text)}\nif os.environ.get('REMOTE_USER_AUTH'):\n    MIDDLEWARE.insert(2, 'blogsite.middleware.RemoteUser')\n`);
    assert.match(settingsAfter(p), /'django\.contrib\.messages\.middleware\.MessageMiddleware',\n {4}'skene_retention\.middleware\.LastActivityMiddleware',\n\]/);
    assert.match(p.files.find((f) => f.path === SETTINGS)?.reason ?? '', /at the end \(the settings insert into MIDDLEWARE by position\)/);
  });
});
