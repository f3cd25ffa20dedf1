/**
 * Where an agent must be to run the project's commands (`python manage.py …`, `npx skene-django …`). Agents and
 * terminals start in the repository root; a Django project in `backend/` needs `cd backend` first. The root is
 * the nearest folder above the project holding `.git` (a folder, or a file in a git worktree); without one the
 * project is taken to be the root.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export function folderFromRepositoryRoot(projectRoot: string): string {
  for (let dir = projectRoot; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return path.relative(dir, projectRoot).split(path.sep).join('/') || '.';
    if (path.dirname(dir) === dir) return '.';
  }
}
