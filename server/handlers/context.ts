import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CONFIG_FILE_NAME } from '../protocol';
import type { ConfigAnalyses, ConfigAnalysis } from '../core/workspace/configAnalyses';
import type { ProjectRegistry } from '../core/workspace/projectRegistry';
import type { SettingsStore } from './settings';

/** What the client said it can do, read once from `initialize`. */
export interface ClientFeatures {
  pullDiagnostics: boolean;
  diagnosticRefresh: boolean;
  codeLensRefresh: boolean;
  configuration: boolean;
  documentChanges: boolean;
  createFiles: boolean;
  renameFiles: boolean;
  deleteFiles: boolean;
  changeAnnotations: boolean;
  watchedFilesDynamic: boolean;
  workspaceFolders: boolean;
  configurationDynamic: boolean;
  applyEdit: boolean;
}

/** The state every handler shares; handlers stay thin adapters over server/core. */
export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  projects: ProjectRegistry;
  configs: ConfigAnalyses;
  settings: SettingsStore;
  features: ClientFeatures;
  /** Resolves when the SQL parser (wasm) has loaded: config checks wait for it so SQL is always checked. */
  engineReady: Promise<void>;
  /** Base of codeDescription links (`<base>#<code>`), or null when no docs can be linked. */
  docsUrl: string | null;
  log: (message: string) => void;
  /** The editor user's time zone (initializationOptions.timeZone, else the server process's). */
  readerTimeZone: string;
}

export function uriToPath(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}

export function isConfigUri(uri: string): boolean {
  const file = uriToPath(uri);
  return file !== null && path.basename(file) === CONFIG_FILE_NAME;
}

export function isPythonUri(uri: string): boolean {
  return uri.startsWith('file:') && uri.endsWith('.py');
}

/**
 * The shared per-version analysis of an open skene.config.ts, after its project's first analysis. Null
 * when the document is not an open config, or when a newer version arrived while waiting (stale).
 */
export async function analyzeOpenConfig(ctx: ServerContext, uri: string): Promise<ConfigAnalysis | null> {
  const file = uriToPath(uri);
  const document = ctx.documents.get(uri);
  if (!file || !document || !isConfigUri(uri)) return null;
  const state = ctx.projects.forFile(file);
  await Promise.all([state.ready, ctx.engineReady]);
  const current = ctx.documents.get(uri);
  if (!current || current.version !== document.version) return null;
  return ctx.configs.get(uri, current.version, current.getText(), state);
}
