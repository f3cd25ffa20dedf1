import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { ISSUE_CODES } from '../../../server/core/config/issue';
import { schemaReferenceTable } from '../../../server/core/config/schemaReferenceTable';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { check } from './configTestKit';

const docs = path.resolve(__dirname, '../../../docs');

before(async () => {
  await loadSqlParser();
});

test('docs/config-reference.md carries the table generated from the schema', () => {
  const doc = readFileSync(path.join(docs, 'config-reference.md'), 'utf8');
  const table = /<!-- schema-table:start -->\n([\s\S]*?)\n<!-- schema-table:end -->/.exec(doc)?.[1];
  assert.equal(table, schemaReferenceTable());
});

test("the reference's example config is valid for the example project", () => {
  const doc = readFileSync(path.join(docs, 'config-reference.md'), 'utf8');
  const example = /```ts\n(import \{ defineLoop \}[\s\S]*?)```/.exec(doc)?.[1] ?? '';
  assert.deepEqual(check(example).issues, []);
});

test('docs/diagnostics.md has one entry per code, and no entry for a code that does not exist', () => {
  const doc = readFileSync(path.join(docs, 'diagnostics.md'), 'utf8');
  const headings = [...doc.matchAll(/^## `([a-z-]+)`$/gm)].map((m) => m[1]);
  assert.deepEqual([...headings].sort(), [...ISSUE_CODES].sort());
});
