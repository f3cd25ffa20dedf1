import * as vscode from 'vscode';
import { Requests } from '../server/protocol';
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
    fields: { name: string; type: string; column: string | null; manyToMany?: { throughTable: string | null } }[];
  } | null;
  database: { engine: string | null };
  celery: { appModule: string; beat: string } | null;
  email: { provider: string | null };
  stripe: { sdk: boolean; djstripe: boolean | string; customerIdField: string | null };
  activity: { eventsModel: { app: string; class: string; table: string; userField: string; timeField: string } | null };
}

/** Asks the language server, which already keeps the project's model up to date (no second analysis). */
export async function readProjectFacts(client: SkeneClient, root: vscode.Uri): Promise<ProjectFacts> {
  const running = await client.ensureStarted();
  const facts = await running.sendRequest<ProjectFacts | null>(Requests.analyze, { root: root.fsPath });
  if (!facts) throw new Error(`No Django project (manage.py) found in ${root.fsPath}`);
  return facts;
}
