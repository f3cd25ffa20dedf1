/**
 * What `skene init` records about its own output in `.skene/generated.json`, so the next run can tell a
 * file it wrote (safe to regenerate) from one the user edited since (a conflict), reuse the migration names
 * it chose, and merge skene.config.ts property by property.
 */
import { createHash } from 'node:crypto';

export const STATE_FILE = '.skene/generated.json';
export const STATE_VERSION = 1;

export interface InitState {
  version: typeof STATE_VERSION;
  /** sha256 (hex) of each owned file as Initialize last wrote it. */
  files: Record<string, string>;
  /** Initializer texts Initialize wrote into skene.config.ts, by property path ("steps.0.condition.query"). */
  config: { loopId: string; owned: Record<string, string> } | null;
  /** Migrations Initialize created, by role ("user-field", "retention", "beat:<loop>:<schedule>"), as paths. */
  migrations: Record<string, string>;
  /** Text of regions Initialize owns inside user files (e.g. the AGENTS.md section), by "<path>#<name>". */
  regions: Record<string, string>;
  /** The activity source the user picked ("app_label.Model" or "middleware"); absent: chosen by evidence. */
  activity?: string;
  /**
   * The scheduler line for `manage.py skene_run` the last plan printed (projects without Celery), so a re-run can say
   * that it changed and what to replace; absent with Celery.
   */
  scheduler?: string;
}

export function emptyState(): InitState {
  return { version: STATE_VERSION, files: {}, config: null, migrations: {}, regions: {} };
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The recorded state, or an empty one when the file is missing or unreadable (then every file is treated as new). */
export function parseState(text: string | null): InitState {
  if (!text) return emptyState();
  try {
    const value = JSON.parse(text) as Partial<InitState>;
    if (value.version !== STATE_VERSION) return emptyState();
    return {
      version: STATE_VERSION,
      files: isRecord(value.files) ? value.files : {},
      config: value.config && typeof value.config.loopId === 'string' && isRecord(value.config.owned) ? value.config : null,
      migrations: isRecord(value.migrations) ? value.migrations : {},
      regions: isRecord(value.regions) ? value.regions : {},
      ...(typeof value.activity === 'string' ? { activity: value.activity } : {}),
      ...(typeof value.scheduler === 'string' ? { scheduler: value.scheduler } : {}),
    };
  } catch {
    return emptyState();
  }
}

function isRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** Stable JSON (sorted keys) so re-running on an unchanged project leaves the state file unchanged too. */
export function serializeState(state: InitState): string {
  return `${JSON.stringify(sortKeys(state), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
