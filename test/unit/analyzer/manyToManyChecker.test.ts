/**
 * Many-to-many fields of the user model (groups, user_permissions, the project's own) have no column: the
 * checker says so and names the through table to join, in the SQL and in {{user.x}} placeholders; completion
 * offers columns only; the through tables Django creates are known tables with their real columns.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { checkConfig } from '../../../server/core/config/checkConfig';
import { knownTables } from '../../../server/core/config/knownTables';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import { analyzeProject } from '../../../server/core/django/analyzeProject';
import type { ProjectModel } from '../../../server/core/django/projectModel';

const BASE = readFileSync(path.resolve(__dirname, '../../fixtures/configs/base.skene.config.ts'), 'utf8');
const TABLE = 'people_person_with_a_rather_long_table_name_here';
let project: ProjectModel;

function config(query: string, firstName = '{{user.email}}'): string {
  return BASE.replace(/query: `[^`]*`/, `query: \`${query}\``).replace(/\{\{user\.first_name\}\}/g, firstName);
}

describe('many-to-many fields of the user model in the checker', () => {
  before(async () => {
    await loadSqlParser();
    project = await analyzeProject(path.resolve(__dirname, '../../fixtures/projects/m2m-user'));
  });

  test('selecting groups from the user table: it is a many-to-many field, join its through table', () => {
    const { issues } = checkConfig(config(`SELECT p.id, p.email, p.groups FROM ${TABLE} p WHERE p.is_active`), project);
    const issue = issues.find((i) => i.code === 'unknown-column');
    assert.ok(issue, JSON.stringify(issues.map((i) => i.message)));
    assert.equal(issue.message, `Column 'groups' does not exist in ${TABLE}. groups is a many-to-many field: join ${TABLE}_groups (person_id, group_id).`);
  });

  test('the through table Django creates is known, with its real columns', () => {
    const tables = knownTables(project);
    assert.deepEqual(tables.get(`${TABLE}_following`)?.columns, ['id', 'from_person_id', 'to_person_id']);
    // Over 63 characters: truncated with a hash, as Django's truncate_name does (the oracle test checks it against Django).
    assert.deepEqual(tables.get('people_person_with_a_rather_long_table_name_here_user_permic3f3')?.columns, ['id', 'person_id', 'permission_id']);
    const { issues } = checkConfig(
      config(`SELECT p.id, p.email FROM ${TABLE} p JOIN ${TABLE}_groups g ON g.person_id = p.id WHERE g.group_id = 1`),
      project,
    );
    assert.deepEqual(issues.filter((i) => i.severity === 'error').map((i) => i.message), []);
  });

  test('{{user.groups}}: a placeholder cannot show a many-to-many field', () => {
    const { issues } = checkConfig(config(`SELECT id, email FROM ${TABLE}`, '{{user.groups}}'), project);
    const issue = issues.find((i) => i.message.includes('many-to-many'));
    assert.ok(issue, JSON.stringify(issues.map((i) => i.message)));
    assert.equal(issue.message, `{{user.groups}} is a many-to-many field, not a column: a placeholder shows one value. To use it in the audience query, join ${TABLE}_groups.`);
  });
});
