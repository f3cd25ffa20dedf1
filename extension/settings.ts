import * as vscode from 'vscode';
import { DEFAULT_SETTINGS } from '../server/protocol';

/** The `skene.*` settings the extension itself uses, with defaults applied. */
export interface ExtensionSettings {
  codeLensEnabled: boolean;
  pythonSettingsModule: string | null;
  defaultDormancyDays: number;
}

// Keyed by folder URI ('' for no folder): settings are resource-scoped, and a cache avoids re-reading them
// on every status bar refresh. Cleared whenever any `skene.*` setting changes.
const cache = new Map<string, ExtensionSettings>();

/** Reads the settings for a resource at use time; `null` or a wrong type falls back to the default. */
export function readSettings(resource?: vscode.Uri): ExtensionSettings {
  const folder = resource ? vscode.workspace.getWorkspaceFolder(resource) : undefined;
  const key = folder?.uri.toString() ?? '';
  const cached = cache.get(key);
  if (cached) return cached;
  const config = vscode.workspace.getConfiguration('skene', folder?.uri ?? null);
  const module = config.get<unknown>('pythonSettingsModule');
  const days = config.get<unknown>('defaultDormancyDays');
  const lens = config.get<unknown>('codeLens.enabled');
  const settings: ExtensionSettings = {
    codeLensEnabled: typeof lens === 'boolean' ? lens : DEFAULT_SETTINGS.codeLens.enabled,
    pythonSettingsModule: typeof module === 'string' && module.trim() !== '' ? module.trim() : DEFAULT_SETTINGS.pythonSettingsModule,
    defaultDormancyDays:
      typeof days === 'number' && Number.isInteger(days) && days > 0 ? days : DEFAULT_SETTINGS.defaultDormancyDays,
  };
  cache.set(key, settings);
  return settings;
}

/** Clears the cache when a `skene.*` setting changes, so the next read sees the new values. */
export function watchSettings(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('skene')) cache.clear();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => cache.clear()),
  );
}
