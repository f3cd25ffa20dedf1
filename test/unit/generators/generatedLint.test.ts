/**
 * The Python files Initialize creates pass `ruff check` with Ruff's default rules (E4, E7, E9, F: what a project
 * gets from `ruff check .` with no configuration) and isort's (I001), so a project whose CI lints everything does
 * not fail on Skene's app. Found on public projects: the vendored runtime imported `calendar` and never used it
 * (F401, wger); the middleware's and the SMTP provider's imports were out of isort's order (Django-Styleguide-Example).
 * And in a project that formats with ruff format or Black, they read as its formatter writes them.
 * In a project with no linter configuration they also pass what most Django teams' CI runs (E, W, F, I at 88
 * columns): they used to have ~500 lines over 88 columns (comments, docstrings, SQL), each an E501 in CI.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { planInit } from '../../../generators/planInit';
import type { InitOptions } from '../../../generators/types';
import { readProjectFormatter } from '../../../generators/style/projectFormatter';
import { formatPython, newLintFindings } from '../../../generators/style/ruffCompare';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import { applyInMemory, diskReader, EXAMPLE_DIR } from './planKit';

const INIT_FIXTURES = path.resolve(__dirname, '../../fixtures/init');

const PLAINBLOG = path.resolve(__dirname, '../../fixtures/init/plainblog');
// Between them: events trigger, middleware on a user column and on a per-user table, Celery (settings and
// django-celery-beat's database scheduler) and not.
const PROJECTS = [EXAMPLE_DIR, ...readdirSync(INIT_FIXTURES).sort().map((name) => path.join(INIT_FIXTURES, name))];
// The templates that only some choices render: celery.py (--scheduler celery), middleware.py (--activity middleware).
const CHOICES: Array<[string, InitOptions]> = [['default', {}], ['--scheduler celery', { scheduler: 'celery' }], ['--activity middleware', { activity: 'middleware' }]];

/**
 * What a Django team's CI runs: pycodestyle's errors and warnings (E501 at 88, Black's and Ruff's default and
 * Django's own), pyflakes and isort. No rule is ignored and no blanket noqa is used in Skene's files.
 */
async function ciFindings(files: Array<{ path: string; after: string }>): Promise<string[]> {
  const ruff = await import('@astral-sh/ruff-wasm-nodejs');
  const workspace = new ruff.Workspace({ 'line-length': 88, lint: { select: ['E', 'W', 'F', 'I'] } }, ruff.PositionEncoding.Utf16);
  try {
    return files.flatMap((f) => (workspace.check(f.after) as Array<{ code: string | null; message: string; start_location: { row: number } }>).map((d) => `${f.path}:${d.start_location.row} ${d.code ?? 'syntax'} ${d.message}`));
  } finally {
    workspace.free();
  }
}

describe('lint of the Python files Initialize creates', () => {
  for (const dir of PROJECTS) {
    test(`${path.basename(dir)}: no finding under Ruff's default rules and isort`, async () => {
      await loadSqlParser();
      const plan = await planInit(await analyzeProject(dir), {}, diskReader(dir));
      const created = plan.files.filter((f) => f.action === 'create' && f.path.endsWith('.py'));
      assert.ok(created.some((f) => f.path.endsWith('skene_runtime.py')));
      const findings = await newLintFindings(created.map((f) => ({ path: f.path, before: '', after: f.after })), { lineLength: null, isort: true, knownFirstParty: [], source: null }, []);
      assert.deepEqual(findings.map((f) => `${f.file}:${f.line} ${f.code} ${f.message}`), []);
    });

    test(`${path.basename(dir)}: every created Python file passes E, W, F and I at 88 columns, whatever is chosen`, async () => {
      await loadSqlParser();
      const project = await analyzeProject(dir);
      for (const [, options] of CHOICES) {
        const plan = await planInit(project, options, diskReader(dir));
        const created = plan.files.filter((f) => f.action === 'create' && f.path.endsWith('.py'));
        assert.ok(created.some((f) => f.path.endsWith('skene_runtime.py')));
        assert.deepEqual(await ciFindings(created), []);
      }
    });
  }

  test('the vendored runtime and the ledger DDL fit 88 columns as shipped (no project formatter involved)', async () => {
    const root = path.resolve(__dirname, '../../..');
    const runtime = readFileSync(path.join(root, 'templates/python/skene_runtime.py'), 'utf8');
    assert.deepEqual(await ciFindings([{ path: 'skene_runtime.py', after: runtime }]), []);
    const ledger = readFileSync(path.join(root, 'sdk/runtime/ledger.sql'), 'utf8');
    assert.deepEqual(ledger.split('\n').filter((line) => [...line].length > 88), []);
  });
});

describe('Skene\'s Python files in a project that runs a formatter', () => {
  const PYPROJECT = '[tool.ruff]\nline-length = 100\n\n[tool.ruff.format]\nquote-style = "single"\n';
  const formatter = { tool: 'ruff' as const, lineLength: 100, quoteStyle: 'single' as const, source: 'pyproject.toml [tool.ruff.format]' };

  test('the formatter is read from pyproject, ruff.toml, Black\'s table or a pre-commit hook; none: null', () => {
    const reader = (files: Record<string, string>) => (rel: string) => files[rel] ?? null;
    assert.deepEqual(readProjectFormatter(reader({ 'pyproject.toml': PYPROJECT })), formatter);
    assert.deepEqual(readProjectFormatter(reader({ 'pyproject.toml': '[tool.black]\nline-length = 79\nskip-string-normalization = true\n' })), { tool: 'black', lineLength: 79, quoteStyle: 'preserve', source: 'pyproject.toml [tool.black]' });
    assert.deepEqual(readProjectFormatter(reader({ '../.pre-commit-config.yaml': 'repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    hooks:\n      - id: ruff-check\n      - id: ruff-format\n' })), { tool: 'ruff', lineLength: 88, quoteStyle: 'double', source: '.pre-commit-config.yaml' });
    assert.equal(readProjectFormatter(reader({ 'setup.cfg': '[flake8]\nmax-line-length = 120\n' })), null);
  });

  test('every created Python file reads as ruff format writes it (100 columns, single quotes); edits stay edits', async () => {
    await loadSqlParser();
    const disk = diskReader(PLAINBLOG);
    const read = (rel: string) => (rel === 'pyproject.toml' ? PYPROJECT : disk(rel));
    const plan = await planInit(await analyzeProject(PLAINBLOG), {}, read);
    const created = plan.files.filter((f) => f.action === 'create' && f.path.endsWith('.py'));
    for (const file of created) assert.equal(await formatPython(file.after, formatter), file.after, file.path);
    const unformatted = await planInit(await analyzeProject(PLAINBLOG), {}, disk);
    const before = unformatted.files.find((f) => f.path === 'skene_retention/run.py')?.after ?? '';
    assert.notEqual(created.find((f) => f.path === 'skene_retention/run.py')?.after, before);
    assert.ok(plan.notes.some((n) => n.message.startsWith('Skene\'s Python files are formatted as ruff format would (pyproject.toml [tool.ruff.format]: 100 columns, single quotes)')));
  });

  test('a re-run over the formatted files changes nothing (0001 in single quotes still declares the ledger models)', async () => {
    await loadSqlParser();
    const disk = diskReader(PLAINBLOG);
    const written = new Map<string, string>([['pyproject.toml', PYPROJECT]]);
    const read = (rel: string) => (written.has(rel) ? written.get(rel) ?? null : disk(rel));
    const project = await analyzeProject(PLAINBLOG);
    applyInMemory(await planInit(project, {}, read), written);
    assert.match(written.get('skene_retention/migrations/0001_initial.py') ?? '', /name='SendLedger'/);
    const again = await planInit(project, {}, read);
    assert.deepEqual(again.files.filter((f) => f.action !== 'unchanged').map((f) => `${f.action} ${f.path}`), []);
    assert.ok(again.files.some((f) => f.path === 'skene_retention/admin.py'), 'the ledger admin stays');
  });
});
