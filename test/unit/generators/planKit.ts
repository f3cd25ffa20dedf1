/** Shared setup of the generator unit tests: plan a project from disk or from in-memory files. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { planInit } from '../../../generators/planInit';
import type { InitPlan, InitOptions } from '../../../generators/types';
import { loadSqlParser } from '../../../server/core/config/sql/sqlParser';
import type { ProjectModel } from '../../../server/core/django/projectModel';

export const EXAMPLE_DIR = path.resolve(__dirname, '../../../examples/saas');

export function diskReader(root: string) {
  return (rel: string): string | null => {
    try {
      return readFileSync(path.join(root, rel), 'utf8');
    } catch {
      return null;
    }
  };
}

/** Plans against files held in a Map (missing → null), so a test can apply a plan and plan again. */
export async function planInMemory(project: ProjectModel, files: Map<string, string>, options: InitOptions = {}): Promise<InitPlan> {
  await loadSqlParser();
  return planInit(project, options, (rel) => files.get(rel) ?? null);
}

/** What applying a plan (conflicts included) does to the in-memory files. */
export function applyInMemory(plan: InitPlan, files: Map<string, string>): void {
  for (const file of plan.files) if (file.action !== 'unchanged') files.set(file.path, file.after);
}

/**
 * The config Initialize wrote, turned into `defineLoops([...])` of copies of its loop (`seed`, as it reads in the config)
 * with these ids and crons.
 */
export function withLoops(config: string, loops: Array<{ id: string; cron: string }>, seed = { id: 'dormant-users', cron: '0 9 * * *' }): string {
  const start = config.indexOf('export default defineLoop(');
  const body = config.slice(start + 'export default defineLoop('.length, config.lastIndexOf(');'));
  const copies = loops.map(({ id, cron }) => body.replace(`id: '${seed.id}'`, `id: '${id}'`).replace(`cron: '${seed.cron}'`, `cron: '${cron}'`));
  return `${config.slice(0, start).replace('import { defineLoop }', 'import { defineLoop, defineLoops }')}export default defineLoops([\n${copies.join(',\n')},\n]);\n`;
}
