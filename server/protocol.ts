/**
 * The only module both the extension and the server import: custom request names, command ids and the
 * settings shape. Keep it free of imports from server/core so the extension bundle stays small.
 */

export const SERVER_NAME = 'Skene Language Server';

/** The file the server checks while it is typed. */
export const CONFIG_FILE_NAME = 'skene.config.ts';

/** `source` of every diagnostic the server reports. */
export const DIAGNOSTIC_SOURCE = 'skene';

/** Code action kind of the "Fix all Skene problems" source action (VS Code: `editor.codeActionsOnSave`). */
export const FIX_ALL_KIND = 'source.fixAll.skene';

/**
 * Node flags to start the server with (`node <flags> dist/server.js --stdio`; the extension passes them as
 * execArgv). Without them V8 grows its heap lazily (a 16 MB young generation, generous old-space growth) and
 * glibc keeps a malloc arena per V8 worker thread, so RSS climbs past 300 MB over thousands of edits although
 * the live heap stays ~45 MB. `--liftoff-only` keeps the WASM parsers (libpg-query, tree-sitter) on V8's baseline
 * compiler: tiering their hot functions up to TurboFan left ~25 MB of compiler memory in a worker thread's arena
 * for the life of the process, for parses that take well under a millisecond either way. No hard heap cap:
 * analysing a 2 MB models.py needs more than 128 MB of heap, and running out of heap would kill the server.
 * bench/lsp.ts measures RSS with and without these flags.
 */
export const SERVER_NODE_FLAGS = ['--optimize-for-size', '--max-semi-space-size=1', '--v8-pool-size=1', '--liftoff-only'];

/** Custom requests (client -> server). */
export const Requests = {
  /** Lists the top-level classes of a Python text. Used by tests to prove the bundled wasm parser loads. */
  pythonClasses: 'skene/pythonClasses',
  /** The ProjectModel of the project holding `root` (`skene analyze --json`'s shape), or null when none. */
  analyze: 'skene/analyze',
  /** `skene report`'s text for the project holding `root` (ReportParams -> ReportResult). */
  report: 'skene/report',
  /** The report with its history for the report view (ReportParams -> ReportViewResult). Trusted workspaces only. */
  reportView: 'skene/reportView',
  /** One loop email rendered as the runtime would send it (PreviewEmailParams -> PreviewEmailResult). */
  previewEmail: 'skene/previewEmail',
  /** Sends the previewed email, marked as a test, to an allowed address (SendTestParams -> SendTestResult). */
  sendTestEmail: 'skene/sendTestEmail',
} as const;

/** The report view's data: `report` is server/core/report's Report with each loop's history. */
export type ReportViewResult = { report: unknown; error?: undefined } | { report?: undefined; error: string };

/** Which email to render: a template file, or a loop and step; for a sample user, or a real user by id. */
export interface PreviewEmailParams {
  root: string;
  /** An email template file (absolute path): its first loop step. */
  templatePath?: string;
  loopId?: string;
  /** 0-based. */
  step?: number;
  /** A real user's id (trusted workspaces only); absent: a sample user from the user model. */
  userId?: string | null;
  /** Unsaved editor text of template files (absolute path -> text), so the preview follows typing. */
  unsaved?: Record<string, string>;
}

/** `preview` is server/core/preview's EmailPreview plus its inlined HTML and the steps one can switch to. */
export type PreviewEmailResult = { preview: unknown; error?: undefined } | { preview?: undefined; error: string };

export interface SendTestParams extends PreviewEmailParams {
  to: string;
}

export interface SendTestResult {
  ok: boolean;
  message: string;
}

/** Custom notifications (client -> server). */
export const Notifications = {
  /** The workspace's trust changed (VS Code: onDidGrantWorkspaceTrust); params TrustParams. */
  didChangeTrust: 'skene/didChangeTrust',
  /** The client's log level changed (VS Code: the Skene output channel's level); params LogLevelParams. */
  didChangeLogLevel: 'skene/didChangeLogLevel',
} as const;

/** The server sends debug messages (timings per check and per file update) only at 'debug' or 'trace'. */
export interface LogLevelParams {
  level: 'off' | 'trace' | 'debug' | 'info' | 'warning' | 'error';
}

export interface TrustParams {
  trusted: boolean;
}

export interface ReportParams {
  /** Project root (absolute path). */
  root: string;
}

export interface ReportResult {
  /** The report as `skene report` prints it, or why it could not be read. */
  text: string;
}

export interface AnalyzeParams {
  /** A folder (or file) inside the Django project; absolute path. */
  root: string;
}

export interface PythonClassesParams {
  text: string;
}

export interface PythonClassesResult {
  classes: { name: string; line: number }[];
  hasSyntaxErrors: boolean;
}

/**
 * Commands the SERVER executes (`workspace/executeCommand`). Their ids differ from the client commands
 * below, because vscode-languageclient registers every server command as a VS Code command of that id.
 */
export const ServerCommands = {
  /** Runs the generators; returns an InitializeCommandResult. With `apply: true` applies the plan via workspace/applyEdit. */
  initialize: 'skene.server.initialize',
  /** Runs the generators and returns the plan only (nothing is written). */
  previewPlan: 'skene.server.previewPlan',
  /**
   * The manifest-stale quick fix: applies (workspace/applyEdit) only what the config change needs — loops.json, the
   * beat entry, the manifest's recorded hash. Argument `{ root }`; returns an InitializeCommandResult whose `files`
   * are the written ones.
   */
  regenerate: 'skene.server.regenerate',
} as const;

/**
 * Commands the CLIENT implements; code lenses carry them. Arguments are listed per command.
 * - initialize: [InitializeCommandArgs]  (the "Skene: add retention loop" lens)
 * - openConfig: [configUri: string, position?: { line; character }]  (the summary lens over the user model: the first loop)
 * - regenerateArtifacts / previewPlan: [LoopLensArgs] (lenses above each loop in skene.config.ts)
 */
export const ClientCommands = {
  initialize: 'skene.initialize',
  openConfig: 'skene.openConfig',
  regenerateArtifacts: 'skene.regenerateArtifacts',
  previewPlan: 'skene.previewPlan',
  /** [ReportParams]: opens the report view of the project (the report lens above each loop). */
  showReport: 'skene.showReport',
  /** [PreviewEmailArgs]: the email preview beside a template (the `template:` hover links here). */
  previewEmail: 'skene.previewEmail',
} as const;

export interface PreviewEmailArgs {
  /** Template file URI, or a loop/step of the project at `root`. */
  templateUri?: string;
  root?: string;
  loopId?: string;
  step?: number;
}

export interface InitializeCommandArgs {
  /** Project folder (absolute path or file URI); defaults to the first workspace folder. */
  root?: string;
  /** Apply the plan through workspace/applyEdit (the editor shows its refactor preview first). */
  apply?: boolean;
  /** Dormancy threshold for a new loop; defaults to the `skene.defaultDormancyDays` setting. */
  dormancyDays?: number;
  /** Who runs the loop: 'auto' (Celery only where the project uses it), 'celery' (adds it), 'command'. */
  scheduler?: 'auto' | 'celery' | 'command';
  /** Also write instructions for coding agents (AGENTS.md section, .cursor/rules/skene.mdc), as `skene init --agents`. */
  agents?: boolean;
  /**
   * What feeds last activity, as `skene init --activity`: 'auto', ACTIVITY_MIDDLEWARE, or a candidate's `id`
   * (ActivitySources). Unset: the pick an earlier Initialize recorded, else 'auto'.
   */
  activity?: string;
}

/** The activity source with no table: the throttled middleware and the `user_logged_in` signal. */
export const ACTIVITY_MIDDLEWARE = 'middleware';

/** A table that could feed last activity (a foreign key to the user and a timestamp), with the analyzer's reason. */
export interface ActivityCandidate {
  /** "app_label.Model": what InitializeCommandArgs.activity takes. */
  id: string;
  table: string;
  userColumn: string;
  timeColumn: string;
  /** Evidence that rows are the user's own actions, or (not recommended) what is missing. */
  why: string | null;
}

/** The activity choice of a plan: the candidates, the analyzer's recommendation and what the plan uses. */
export interface ActivitySources {
  candidates: ActivityCandidate[];
  /** A candidate's id, or ACTIVITY_MIDDLEWARE when no table has the evidence. */
  recommended: string;
  /** What this plan uses: a candidate's id or ACTIVITY_MIDDLEWARE. */
  used: string;
  /** 'user': `used` is a pick (this request's `activity` or recorded by an earlier Initialize). */
  chosenBy: 'evidence' | 'user';
}

export interface LoopLensArgs {
  configUri: string;
  /** Project root (absolute path). */
  root: string;
  loopId: string | null;
  loopIndex: number;
}

/** One file of the plan, as the server sends it (paths relative to the project root, `/`-separated). */
export interface PlannedFile {
  path: string;
  /**
   * 'delete': an older Skene's vendored file, unchanged since it wrote it: removed by `skene init --yes` and by the
   * editor's Initialize when its review row stays ticked.
   */
  action: 'create' | 'modify' | 'unchanged' | 'conflict' | 'delete';
  /** Full new content: what Initialize writes (for a conflict: what it would write). */
  after: string;
  /** Unified diff against the file on disk ('' when unchanged). */
  diff: string;
  /** Why the file is part of the plan, or why it conflicts. */
  reason: string;
}

export interface InitializeCommandResult {
  root: string;
  files: PlannedFile[];
  /** Facts and decisions worth telling the user, from the generators. */
  notes: { severity: 'info' | 'warning' | 'error'; message: string }[];
  /** Set when `apply` was asked: whether the client applied the edit (false when the user cancelled the preview). */
  applied?: boolean;
  /** Why nothing was planned (no Django project, generators failed), when that happened. */
  error?: string;
  /** What can feed last activity and what the plan uses (absent when nothing was planned). */
  activity?: ActivitySources;
}

/** Settings under `skene.*`; every field may be missing or null in a client's answer, so readers apply defaults. */
export interface SkeneSettings {
  codeLens: { enabled: boolean };
  pythonSettingsModule: string | null;
  /** The project folder (relative to the workspace folder) when the folder holds several Django projects. */
  projectPath: string | null;
  defaultDormancyDays: number;
  /** Report lenses (opt-in; trusted workspaces only). databaseUrl null: the server's DATABASE_URL. */
  report: { codeLens: boolean; databaseUrl: string | null };
  /** Who test emails may go to; empty: SKENE_TEST_RECIPIENTS, else the git user's email. */
  testSend: { recipients: string[] };
}

export const DEFAULT_SETTINGS: SkeneSettings = {
  codeLens: { enabled: true },
  pythonSettingsModule: null,
  projectPath: null,
  defaultDormancyDays: 7,
  report: { codeLens: false, databaseUrl: null },
  testSend: { recipients: [] },
};

/** Optional `initializationOptions` an editor may pass. */
export interface SkeneInitializationOptions {
  /** Base URL of docs/diagnostics.md for `codeDescription` links (`<base>#<code>`). */
  diagnosticsDocsUrl?: string;
  /** Settings for clients without `workspace/configuration` (many editors outside VS Code). */
  settings?: Partial<SkeneSettings>;
  /** Whether the workspace is trusted (VS Code's workspace trust); report lenses need it. Default false. */
  trusted?: boolean;
  /** The editor user's IANA time zone (inlay hints show the next cron run in it); default: the server's. */
  timeZone?: string;
  /** The client's log level; default 'info' (no debug messages). */
  logLevel?: LogLevelParams['level'];
}

/**
 * Column or field names that hold credentials (password hashes, secrets, tokens, API keys). The config checker
 * rejects them in `{{user.x}}` and in a loop query's select list, and neither the Cursor rule nor the Cursor
 * prompt lists them as usable. Shared here because the extension (the prompt) needs it too.
 */
export function isSensitiveFieldName(name: string): boolean {
  return /pass(word|wd)|secret|token|api_?key|private_?key|credential|otp_?(secret|key)/i.test(name);
}

/** The files of instructions for coding agents that Initialize writes when chosen (`skene init --agents`, the editor asks). */
export const AGENTS_FILE = 'AGENTS.md';
export const CURSOR_RULE_FILE = '.cursor/rules/skene.mdc';

/** The CLI as agent instructions name it (Cursor prompt, AGENTS.md, the Cursor rule): the npm package, `--yes` so npx never asks. */
export const AGENT_CLI = 'npx --yes skene-django';

/**
 * The shell prefix that enters a Django project at `folder` (relative to where an agent's terminal starts,
 * '.' for there) before a command: '' or `cd backend && `. Unusual names are single-quoted.
 */
export function cdPrefix(folder: string): string {
  if (folder === '.' || folder === '') return '';
  return /^[\w./-]+$/.test(folder) ? `cd ${folder} && ` : `cd '${folder.replace(/'/g, "'\\''")}' && `;
}
