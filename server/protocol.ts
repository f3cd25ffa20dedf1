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
 * the live heap stays ~45 MB. No hard heap cap: analysing a 2 MB models.py needs more than 128 MB of heap, and
 * running out of heap would kill the server. bench/lsp.ts measures RSS with and without these flags.
 */
export const SERVER_NODE_FLAGS = ['--optimize-for-size', '--max-semi-space-size=1', '--v8-pool-size=1'];

/** Custom requests (client -> server). */
export const Requests = {
  /** Lists the top-level classes of a Python text. Used by tests to prove the bundled wasm parser loads. */
  pythonClasses: 'skene/pythonClasses',
  /** The ProjectModel of the project holding `root` (`skene analyze --json`'s shape), or null when none. */
  analyze: 'skene/analyze',
  /** `skene report`'s text for the project holding `root` (ReportParams -> ReportResult). */
  report: 'skene/report',
} as const;

/** Custom notifications (client -> server). */
export const Notifications = {
  /** The workspace's trust changed (VS Code: onDidGrantWorkspaceTrust); params TrustParams. */
  didChangeTrust: 'skene/didChangeTrust',
} as const;

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
} as const;

/**
 * Commands the CLIENT implements; code lenses carry them. Arguments are listed per command.
 * - initialize: [InitializeCommandArgs]  (the "Skene: add retention loop" lens)
 * - openConfig: [configUri: string]      (the summary lens over the user model)
 * - regenerateArtifacts / previewPlan: [LoopLensArgs] (lenses above each loop in skene.config.ts)
 */
export const ClientCommands = {
  initialize: 'skene.initialize',
  openConfig: 'skene.openConfig',
  regenerateArtifacts: 'skene.regenerateArtifacts',
  previewPlan: 'skene.previewPlan',
  /** [ReportParams]: opens `skene report`'s text for the project (the report lens above each loop). */
  showReport: 'skene.showReport',
} as const;

export interface InitializeCommandArgs {
  /** Project folder (absolute path or file URI); defaults to the first workspace folder. */
  root?: string;
  /** Apply the plan through workspace/applyEdit (the editor shows its refactor preview first). */
  apply?: boolean;
  /** Dormancy threshold for a new loop; defaults to the `skene.defaultDormancyDays` setting. */
  dormancyDays?: number;
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
  action: 'create' | 'modify' | 'unchanged' | 'conflict';
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
}

/** Settings under `skene.*`; every field may be missing or null in a client's answer, so readers apply defaults. */
export interface SkeneSettings {
  codeLens: { enabled: boolean };
  pythonSettingsModule: string | null;
  defaultDormancyDays: number;
  /** Report lenses (opt-in; trusted workspaces only). databaseUrl null: the server's DATABASE_URL. */
  report: { codeLens: boolean; databaseUrl: string | null };
}

export const DEFAULT_SETTINGS: SkeneSettings = {
  codeLens: { enabled: true },
  pythonSettingsModule: null,
  defaultDormancyDays: 7,
  report: { codeLens: false, databaseUrl: null },
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
}

/**
 * Column or field names that hold credentials (password hashes, secrets, tokens, API keys). The config checker
 * rejects them in `{{user.x}}` and in a loop query's select list, and neither the Cursor rule nor the Cursor
 * prompt lists them as usable. Shared here because the extension (the prompt) needs it too.
 */
export function isSensitiveFieldName(name: string): boolean {
  return /pass(word|wd)|secret|token|api_?key|private_?key|credential|otp_?(secret|key)/i.test(name);
}

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
