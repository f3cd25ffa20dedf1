/** Migration numbering as `makemigrations` does it: the next number after the app's leaf, four digits. */
import type { MigrationsInfo } from '../../server/core/django/projectModel';

export function nextMigrationNumber(info: MigrationsInfo | undefined): string {
  const numbers = (info?.files ?? [])
    .map((file) => /(?:^|\/)(\d+)_[^/]*\.py$/.exec(file)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number);
  const next = numbers.length ? Math.max(...numbers) + 1 : 1;
  return String(next).padStart(4, '0');
}

/** A name part made of what makemigrations allows in a module name. */
export function migrationSlug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 40) || 'loop';
}
