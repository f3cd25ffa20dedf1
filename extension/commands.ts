import * as vscode from 'vscode';
import { ClientCommands, type InitializeCommandArgs, type LoopLensArgs, type PreviewEmailArgs, type ReportParams } from '../server/protocol';
import { checkLoopConfig } from './commands/checkLoopConfig';
import { copyPromptForCursor } from './commands/copyPromptForCursor';
import { initialize } from './commands/initialize';
import { openConfig } from './commands/openConfig';
import { previewPlan } from './commands/previewPlan';
import type { Services } from './services';
import { sendTest, showEmailPreview } from './views/emailPreviewPanel';
import { showReportPanel } from './views/reportPanel';

/** Palette-only commands; the ones code lenses carry are in ClientCommands (server/protocol.ts). */
export const PaletteCommands = {
  restartServer: 'skene.restartServer',
  showOutput: 'skene.showOutput',
  checkConfig: 'skene.checkConfig',
  copyPromptForCursor: 'skene.copyPromptForCursor',
  sendTestEmail: 'skene.sendTestEmail',
} as const;

/** Registers every command of package.json's contributes.commands (category "Skene"). */
export function registerCommands(services: Services): void {
  const { log, client } = services;
  const register = (id: string, run: (...args: never[]) => unknown): void => {
    services.context.subscriptions.push(vscode.commands.registerCommand(id, (...args: never[]) => logFailure(log, id, run(...args))));
  };
  register(ClientCommands.initialize, (args?: InitializeCommandArgs) => initialize(services, args));
  // A re-run: agent files Initialize wrote are kept current; it does not ask for them again.
  register(ClientCommands.regenerateArtifacts, (args?: LoopLensArgs) => initialize(services, { ...(args ? { root: args.root } : {}), agents: false }, { regenerate: true }));
  register(ClientCommands.previewPlan, (args?: LoopLensArgs) => previewPlan(services, args));
  register(ClientCommands.openConfig, (configUri?: string, at?: { line: number; character: number }) => openConfig(configUri, at));
  register(ClientCommands.showReport, (args?: ReportParams) => showReportPanel(services, args));
  register(ClientCommands.previewEmail, (args?: PreviewEmailArgs | vscode.Uri) => showEmailPreview(services, args));
  register(PaletteCommands.sendTestEmail, () => sendTest(services));
  register(PaletteCommands.checkConfig, () => checkLoopConfig(services));
  register(PaletteCommands.copyPromptForCursor, () => copyPromptForCursor(services));
  register(PaletteCommands.restartServer, () => client.restart());
  register(PaletteCommands.showOutput, () => log.show());
}

/** A command that throws is logged and shown once, with its id, instead of VS Code's bare "command failed". */
async function logFailure(log: vscode.LogOutputChannel, id: string, result: unknown): Promise<unknown> {
  try {
    return await result;
  } catch (error) {
    log.error(`${id} failed`, error);
    void vscode.window.showErrorMessage(`Skene: ${id} failed — ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
