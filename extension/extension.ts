import type * as vscode from 'vscode';
import { registerCommands } from './commands';
import { SkeneClient, startWhenNeeded } from './languageClient';
import { offerInitializeOnFirstRun } from './firstRunOffer';
import { createLog } from './log';
import { registerPlanDocuments } from './planDocuments';
import type { Feature, Services } from './services';
import { watchSettings } from './settings';
import { registerStatusBar } from './statusBar';
import { exposeCliToTerminals } from './terminalCli';

const features: Feature[] = [
  ({ context }) => watchSettings(context),
  ({ context }) => registerPlanDocuments(context),
  registerCommands,
  registerStatusBar,
  ({ context }) => exposeCliToTerminals(context),
  ({ context, client, log }) => startWhenNeeded(context, client, log),
  offerInitializeOnFirstRun,
];

let services: Services | undefined;

/** Activation wires small features together and returns at once; the server starts when first needed. */
export function activate(context: vscode.ExtensionContext): void {
  const started = performance.now();
  const log = createLog(context);
  services = { context, log, client: new SkeneClient(context, log) };
  for (const feature of features) feature(services);
  log.info(`activated in ${(performance.now() - started).toFixed(1)} ms`);
}

export function deactivate(): Promise<void> | undefined {
  return services?.client.stop();
}
