import type * as vscode from 'vscode';
import type { SkeneClient } from './languageClient';

/** What every feature gets at activation: the shared log and the (lazily started) language client. */
export interface Services {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  client: SkeneClient;
}

/** A feature registers its commands, providers and listeners; it must not block activation. */
export type Feature = (services: Services) => void;
