/**
 * ProjectAnalyzer.updateFile must give exactly what a cold analysis of the same files gives, whether the
 * change is an editor buffer, a deletion, a new file, repeated edits of one file (tree.edit path) or an
 * edit inside a file big enough to be parsed in chunks.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { analyzeProject, ProjectAnalyzer } from '../../../server/core/django/analyzeProject';
import { makeTempDir, removeTempDir } from '../../helpers/tempDir';

const FIXTURE = path.resolve(__dirname, '../../fixtures/projects/abstract-user');

/** A models file over the chunking threshold (256 KB): 600 small models. */
function bigModels(): string {
  const parts = ['from django.db import models\n'];
  for (let i = 0; i < 600; i++) {
    parts.push(`\n\nclass Thing${i}(models.Model):\n    """Generated ${i}: padding padding padding padding padding padding padding."""\n\n`);
    parts.push(`    name = models.CharField(max_length=50, help_text="name of thing ${i} ${'x'.repeat(200)}")\n`);
    parts.push(`    amount = models.IntegerField(default=0, db_column="amt_${i}")\n`);
  }
  return parts.join('');
}

describe('ProjectAnalyzer.updateFile', () => {
  let dir = '';
  let analyzer: ProjectAnalyzer;

  before(async () => {
    dir = await makeTempDir('skene-analyzer-incremental');
    cpSync(FIXTURE, dir, { recursive: true });
    mkdirSync(path.join(dir, 'bulk'));
    writeFileSync(path.join(dir, 'bulk/__init__.py'), '');
    writeFileSync(path.join(dir, 'bulk/models.py'), bigModels());
    const settings = path.join(dir, 'mysite/settings.py');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace('    "billing",\n', '    "billing",\n    "bulk",\n'));
    analyzer = new ProjectAnalyzer(dir);
    await analyzer.analyze();
  });
  after(async () => {
    analyzer.dispose();
    await removeTempDir(dir);
  });

  /** Writes the text to disk as well, then compares the incremental answer with a cold one. */
  async function editAndCompare(rel: string, text: string) {
    const incremental = analyzer.updateFile(path.join(dir, rel), { text });
    writeFileSync(path.join(dir, rel), text);
    assert.deepEqual(incremental, await analyzeProject(dir));
    return incremental;
  }

  test('an editor buffer adding a field to the user model', async () => {
    const rel = 'accounts/models.py';
    const text = readFileSync(path.join(dir, rel), 'utf8').replace('    plan = ', '    last_seen_at = models.DateTimeField(null=True)\n    plan = ');
    const model = await editAndCompare(rel, text);
    assert.equal(model.activity.lastActivityField, 'last_seen_at');
  });

  test('repeated edits of the same buffer (reusing its tree)', async () => {
    const rel = 'accounts/models.py';
    let text = readFileSync(path.join(dir, rel), 'utf8');
    for (const column of ['seen_a', 'seen_b', 'seen_c']) {
      text = text.replace(/(last_seen_at = models\.DateTimeField\(null=True)[^)]*\)/, `$1, db_column="${column}")`);
      const model = await editAndCompare(rel, text);
      assert.equal(model.activity.lastActivityField, column);
    }
  });

  test('a half-typed line (syntax error) keeps the last good reading of the file; a cold read reads around it', async () => {
    const rel = 'accounts/models.py';
    const original = readFileSync(path.join(dir, rel), 'utf8');
    const before = analyzer.current;
    const text = original.replace('    plan = ', '    broken = models.CharField(\n    plan = ');
    const model = analyzer.updateFile(path.join(dir, rel), { text });
    // The editor's state: the user model as it was before the edit, and the file named as read from its last good text.
    assert.deepEqual(model.userModel, before?.userModel);
    assert.deepEqual(model.staleReadings?.map((s) => s.file), [rel]);
    assert.ok(model.unresolved.some((u) => u.file === rel && u.message.endsWith('Skene keeps the last good reading of this file')));
    // With no earlier reading (the CLI), the fields around the error are still read, and the error is reported.
    writeFileSync(path.join(dir, rel), text);
    const cold = await analyzeProject(dir);
    assert.ok(cold.userModel?.fields.some((f) => f.name === 'company'));
    assert.ok(cold.unresolved.some((u) => u.file === rel && u.message.startsWith('syntax error')));
    await editAndCompare(rel, original);
  });

  test('one line changed inside a chunked 300 KB models file', async () => {
    const rel = 'bulk/models.py';
    const text = readFileSync(path.join(dir, rel), 'utf8').replace('db_column="amt_300"', 'db_column="amount_300"');
    const model = await editAndCompare(rel, text);
    const thing = model.models?.find((m) => m.class === 'Thing300');
    assert.deepEqual(thing?.fields.map((f) => f.column), ['id', 'name', 'amount_300']);
    assert.equal(thing?.line, text.slice(0, text.indexOf('class Thing300(')).split('\n').length);
  });

  test('lines added above later chunks move their line numbers', async () => {
    const rel = 'bulk/models.py';
    const text = readFileSync(path.join(dir, rel), 'utf8').replace('class Thing10(', '# one\n# two\nclass Thing10(');
    const model = await editAndCompare(rel, text);
    const last = model.models?.find((m) => m.class === 'Thing599');
    assert.equal(last?.line, text.slice(0, text.indexOf('class Thing599(')).split('\n').length);
  });

  test('a new migration file moves the leaf', async () => {
    const rel = 'accounts/migrations/0003_user_last_seen_at.py';
    const text = 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("accounts", "0002_user_plan")]\n    operations = []\n';
    const model = await editAndCompare(rel, text);
    assert.equal(model.migrations.accounts?.leaf, '0003_user_last_seen_at');
  });

  test('a deleted models file removes its models and the events table', async () => {
    const rel = 'events/models.py';
    const incremental = analyzer.updateFile(rel, { deleted: true });
    rmSync(path.join(dir, rel));
    assert.deepEqual(incremental, await analyzeProject(dir));
    assert.equal(incremental.activity.eventsModel, null);
  });

  test('a settings change switches the user model', async () => {
    const rel = 'mysite/settings.py';
    const text = readFileSync(path.join(dir, rel), 'utf8').replace('AUTH_USER_MODEL = "accounts.User"\n', '');
    const model = await editAndCompare(rel, text);
    assert.equal(model.userModel?.table, 'auth_user');
  });
});
