/**
 * The FilePlan: what `skene init` (and the editor's Initialize command) will do to each file, with the
 * diff, before anything is written. Generators are pure: ProjectModel + InitOptions + the current file
 * contents in, planned files out. Only generators/applyPlan.ts writes.
 */
import type { ProjectModel } from '../server/core/django/projectModel';
import type { PlannedActivity } from './activitySource';
import type { InitState } from './state/initState';

/** 'delete': only an older Skene's own file that the current layout replaces (generators/upgrade/oldLayout.ts). */
export type FileAction = 'create' | 'modify' | 'unchanged' | 'conflict' | 'delete';

export interface PlannedFile {
  /** Relative to the project root, with `/`. */
  path: string;
  action: FileAction;
  /** Current contents (null when the file does not exist). */
  before: string | null;
  /** Contents after applying the plan (for a conflict: what Initialize would write). */
  after: string;
  /** Unified diff before → after ('' when unchanged). */
  diff: string;
  /** Why this file is part of the plan, in one sentence. */
  reason: string;
  /** Initialize records this file's hash when it writes it (its own files), to detect later edits. */
  tracked: boolean;
}

/** Who runs the loop: 'auto' follows the project (Celery only where it depends on Celery), 'celery' adds it. */
export type SchedulerChoice = 'auto' | 'celery' | 'command';

export interface InitOptions {
  /** Id of the loop Initialize creates (default 'dormant-users'). */
  loopId?: string;
  /** Days without activity before a user counts as dormant (default 7). */
  dormantDays?: number;
  /** Minutes between two activity writes for one user in the middleware (default 5). */
  activityThrottleMinutes?: number;
  /** 'auto' (default): Celery beat where the project uses Celery, else `manage.py skene_run` for its scheduler. */
  scheduler?: SchedulerChoice;
  /**
   * Write instructions for coding agents: a marked Skene section in AGENTS.md (appended when the file exists,
   * replaced in place on a re-run) and `.cursor/rules/skene.mdc`. Off unless chosen (`skene init --agents`, the
   * editor's Initialize asks); once written, re-runs keep them current.
   */
  agents?: boolean;
  /**
   * The folder the agent files tell agents to `cd` into before running commands, relative to where their
   * terminal starts (the repository root). Default: the project root's path below the enclosing git repository.
   */
  commandDir?: string;
  /**
   * What feeds last activity: 'auto' (the analyzer's choice by evidence, else the middleware), 'middleware', or a
   * candidate table as "app_label.Model" or its table name. Unset: the pick recorded by an earlier run, else 'auto'.
   */
  activity?: string;
}

/** Reads a project file by relative path; null when it does not exist. */
export type ReadFile = (relativePath: string) => string | null;

export interface PlanNote {
  severity: 'info' | 'warning' | 'error';
  message: string;
  /** The plan must not be applied at all (e.g. a condition the SQL gate refuses). */
  blocking?: boolean;
}

export interface InitPlan {
  root: string;
  files: PlannedFile[];
  /** Facts and decisions worth telling the user (e.g. "events.Event feeds last activity by trigger"). */
  notes: PlanNote[];
  /** The state file's new contents (written with the plan). */
  state: InitState;
  /** What feeds last activity in this plan (absent when nothing was planned). */
  activity?: PlannedActivity;
}

/** What a generator produces before the planner compares it with the disk. */
export interface GeneratedFile {
  path: string;
  contents: string;
  reason: string;
  /**
   * owned: Initialize's file; regenerated, a user edit since the last init is a conflict.
   * seed: created once, the user's afterwards (email templates, migrations, skene.config.ts).
   * edit: an insertion into the user's file, recomputed from its current text (settings, models).
   */
  ownership: 'owned' | 'seed' | 'edit';
}

/**
 * InitOptions with every default filled in (commandDir stays optional: it defaults from the file system; activity
 * too: unset means the earlier run's pick).
 */
export type ResolvedInitOptions = Required<Omit<InitOptions, 'commandDir' | 'activity'>> & Pick<InitOptions, 'commandDir' | 'activity'>;

export interface GeneratorContext {
  project: ProjectModel;
  options: ResolvedInitOptions;
  readFile: ReadFile;
  /** What the previous `skene init` recorded (empty on a first run). */
  previous: InitState;
  notes: PlanNote[];
}
