/**
 * django-celery-beat: the data migration a loop id rename needs. The periodic task's name and args carry the id, and
 * the schedule migrations that wrote them may have run, so a new migration renames the task (and back, migrated
 * backwards). The language server's rename loads this on demand, with the generators' templates.
 */
import { loadAssets } from '../assets';
import { pyComment, pyString } from '../python/pySyntax';
import { render } from '../render';
import type { Dependency } from './migrations';

export interface LoopRenameMigration {
  from: string;
  to: string;
  /** The retention app's last migration. */
  after: Dependency;
}

export function loopRenameMigration({ from, to, after }: LoopRenameMigration): string {
  const deps: Dependency[] = [after, ['django_celery_beat', '0006_auto_20180322_0932']];
  return render(loadAssets(), 'django/loop_rename_migration.py.ejs', {
    fromText: pyComment(from),
    toText: pyComment(to),
    oldName: pyString(`skene: ${from}`),
    newName: pyString(`skene: ${to}`),
    oldId: pyString(from),
    newId: pyString(to),
    dependencies: deps.map(([app, name]) => [pyString(app, "'"), pyString(name, "'")]),
  });
}
