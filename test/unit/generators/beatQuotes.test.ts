/**
 * The Celery beat entry in the settings file's own quotes: wger's settings are single-quoted, and the
 * appended `CELERY_BEAT_SCHEDULE` block came out double-quoted (Black/Ruff with `quote-style = "single"`,
 * or a reviewer, would flag every line). examples/saas with its base settings turned single-quoted.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { planInit } from '../../../generators/planInit';
import type { InitPlan } from '../../../generators/types';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { diskReader, EXAMPLE_DIR } from './planKit';

const SETTINGS = 'config/settings/base.py';
const disk = diskReader(EXAMPLE_DIR);
const singleQuoted = (disk(SETTINGS) ?? '').replace(/"/g, "'");

async function planWithSettings(text: string): Promise<InitPlan> {
  await loadSqlParser();
  return planInit(await analyzeProject(EXAMPLE_DIR), {}, (rel) => (rel === SETTINGS ? text : disk(rel)));
}

const added = (p: InitPlan) => (p.files.find((f) => f.path === SETTINGS)?.diff ?? '').split('\n').filter((l) => l.startsWith('+') && !l.startsWith('+++'));

describe('beat entry quotes', () => {
  test('into an existing single-quoted CELERY_BEAT_SCHEDULE: single quotes', async () => {
    const lines = added(await planWithSettings(singleQuoted));
    assert.ok(lines.some((l) => l.includes("'skene-dormant-users': {")), lines.join('\n'));
    assert.deepEqual(lines.filter((l) => !l.trimStart().startsWith('+#') && !/^\+\s*#/.test(l) && l.includes('"')), []);
  });

  test('a new CELERY_BEAT_SCHEDULE block in a single-quoted file: single quotes', async () => {
    const withoutSchedule = singleQuoted.replace(/CELERY_BEAT_SCHEDULE = \{[\s\S]*?\n\}\n/, '');
    const lines = added(await planWithSettings(withoutSchedule));
    assert.ok(lines.includes('+CELERY_BEAT_SCHEDULE = {'), lines.join('\n'));
    assert.ok(lines.includes("+        'task': 'skene_retention.run_loop',"), lines.join('\n'));
    assert.deepEqual(lines.filter((l) => !/^\+\s*#/.test(l) && l.includes('"')), []);
  });

  test('a CELERY_BEAT_SCHEDULE built by code: no edit, and the warning carries the entry to paste', async () => {
    const computed = singleQuoted.replace(/CELERY_BEAT_SCHEDULE = \{[\s\S]*?\n\}\n/, 'CELERY_BEAT_SCHEDULE = _parse_beat_schedule()\n');
    const p = await planWithSettings(computed);
    assert.deepEqual(added(p).filter((l) => l.includes('skene-')), []);
    const warning = p.notes.find((n) => n.message.startsWith('CELERY_BEAT_SCHEDULE in config/settings/base.py is not a literal dict'))?.message ?? '';
    assert.match(warning, /\n {4}'skene-dormant-users': \{\n {8}'task': 'skene_retention\.run_loop',\n {8}'schedule': crontab\(minute=0, hour=9\),/);
  });
});
