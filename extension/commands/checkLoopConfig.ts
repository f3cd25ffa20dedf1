import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../server/protocol';
import { pickConfigFile } from '../configFiles';
import type { Services } from '../services';
import { openConfig } from './openConfig';

const DIAGNOSTICS_WAIT_MS = 5000;

/**
 * Skene: Check Loop Config. Opens the config so the server checks it, waits for its diagnostics and
 * focuses the Problems panel with a one-line verdict.
 */
export async function checkLoopConfig(services: Services): Promise<void> {
  const config = await pickConfigFile();
  if (!config) {
    await openConfig();
    return;
  }
  await services.client.ensureStarted();
  const arrived = diagnosticsArrive(config);
  await vscode.window.showTextDocument(config, { preview: false });
  await arrived;
  const problems = vscode.languages.getDiagnostics(config).filter((d) => d.source === DIAGNOSTIC_SOURCE);
  const errors = problems.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length;
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  const name = vscode.workspace.asRelativePath(config);
  services.log.info(`Check Loop Config: ${name}: ${problems.length} problems (${errors} errors)`);
  const warnings = problems.filter((d) => d.severity === vscode.DiagnosticSeverity.Warning).length;
  const verdict = problems.length === 0 ? 'no problems' : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  void vscode.window.showInformationMessage(`Skene: ${name} — ${verdict}.`);
}

/** Resolves on the first diagnostics change for the config, or after a short wait (no problems is silent). */
function diagnosticsArrive(config: vscode.Uri): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const timer = setTimeout(done, DIAGNOSTICS_WAIT_MS);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((uri) => uri.toString() === config.toString())) done();
    });
  });
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
