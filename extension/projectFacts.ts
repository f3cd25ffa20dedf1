import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import type { SkeneClient } from './languageClient';

/**
 * The part of the server's ProjectModel (`skene analyze --json`) the extension shows to people. Declared
 * here rather than imported: the extension only imports server/protocol.ts, never the core.
 */
export interface ProjectFacts {
  root: string;
  settings: { module: string | null };
  authUserModel: string;
  userModel: {
    app: string;
    class: string;
    file: string;
    line: number;
    table: string;
    fields: { name: string; type: string; column: string }[];
  } | null;
  database: { engine: string | null };
  celery: { appModule: string; beat: string } | null;
  email: { provider: string | null };
  stripe: { sdk: boolean; djstripe: boolean | string; customerIdField: string | null };
  activity: { eventsModel: { app: string; class: string; table: string; userField: string; timeField: string } | null };
}

/**
 * Request the server is asked for the ProjectModel of a root: `{ root }` -> ProjectModel. Not yet in
 * server/protocol.ts; until the server answers it, the bundled CLI (`skene analyze --json`, the same
 * analyzer) gives the same facts.
 */
export const ANALYZE_REQUEST = 'skene/analyze';

export async function readProjectFacts(
  context: vscode.ExtensionContext,
  client: SkeneClient,
  root: vscode.Uri,
  log: vscode.LogOutputChannel,
): Promise<ProjectFacts> {
  try {
    const running = await client.ensureStarted();
    return await running.sendRequest<ProjectFacts>(ANALYZE_REQUEST, { root: root.fsPath });
  } catch (error) {
    log.debug(`${ANALYZE_REQUEST} unavailable (${String(error)}); asking the bundled CLI`);
    return analyzeWithCli(context.asAbsolutePath('dist/cli.js'), root.fsPath);
  }
}

function analyzeWithCli(cli: string, root: string): Promise<ProjectFacts> {
  // In VS Code desktop process.execPath is Electron; ELECTRON_RUN_AS_NODE makes it a plain Node.
  const env = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cli, 'analyze', root, '--json'], { env, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`skene analyze failed: ${stderr.trim() || error.message}`));
      else resolve(JSON.parse(stdout) as ProjectFacts);
    });
  });
}
