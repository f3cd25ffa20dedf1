/**
 * The schema the migrations would create, on the embedded database:
 * 1. the user table (with the column Initialize added to the model) and the events table, from the
 *    analyzer's reading of models.py (modelTableDdl.ts says what that leaves out: it is not Django's migrate);
 * 2. then the SQL of the migrations Initialize generated, verbatim from those files (the ledger DDL of
 *    sdk/runtime/ledger.sql, the trigger on the events table). The batched backfill of last activity is Python
 *    (RunPython), so it is not run here: the seeded events set last activity through the trigger instead.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type { DjangoModel, ProjectModel } from '../../server/core/django/projectModel';
import { migrationRunSql } from './migrationRunSql';
import { modelTableDdl } from './modelTableDdl';

export interface DemoTables {
  userModel: DjangoModel;
  eventsModel: DjangoModel;
}

export interface SchemaStep {
  what: string;
  statements: string;
}

export function demoTables(project: ProjectModel): DemoTables {
  const userModel = project.userModel;
  const events = project.activity.eventsModel;
  const eventsModel = events ? project.models?.find((model) => model.table === events.table) : undefined;
  if (!userModel || !events || !eventsModel) throw new Error('the demo needs a project with a user model and an events model (examples/saas has both)');
  return { userModel, eventsModel };
}

/** Generated migration files (paths relative to the root), in the order Django would apply them here. */
export async function createDemoSchema(db: PGlite, project: ProjectModel, tables: DemoTables, migrationFiles: string[]): Promise<SchemaStep[]> {
  const events = project.activity.eventsModel;
  const steps: SchemaStep[] = [
    { what: `${tables.userModel.table} (${tables.userModel.app}.${tables.userModel.class} as models.py declares it)`, statements: modelTableDdl(tables.userModel) },
    { what: `${tables.eventsModel.table} (${tables.eventsModel.app}.${tables.eventsModel.class})`, statements: modelTableDdl(tables.eventsModel, events ? { [events.userField]: tables.userModel.table } : {}) },
  ];
  for (const file of migrationFiles) {
    const parts = await migrationRunSql(readFileSync(path.join(project.root, file), 'utf8'));
    for (const part of parts) steps.push({ what: `${file}: ${part.name}`, statements: part.sql });
  }
  for (const step of steps) await db.exec(step.statements);
  return steps;
}
