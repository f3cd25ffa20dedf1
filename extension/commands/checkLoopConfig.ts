import * as vscode from 'vscode';
import { pickConfigFile } from '../configFiles';
import { countProblems, verdictText } from '../problemCounts';
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
  // An open config is checked on every change (the client pulls its diagnostics): they are current already.
  // A config opened now gets its first diagnostics shortly: wait for them.
  const alreadyOpen = vscode.workspace.textDocuments.some((document) => document.uri.toString() === config.toString());
  const arrived = alreadyOpen ? Promise.resolve() : diagnosticsArrive(config);
  await vscode.window.showTextDocument(config, { preview: false });
  await arrived;
  // Counted as the status bar counts them (problemCounts.ts), so the two never disagree.
  const problems = countProblems(vscode.languages.getDiagnostics(config));
  const elsewhere = countProblems(vscode.languages.getDiagnostics().filter(([uri]) => uri.toString() !== config.toString()).flatMap(([, diagnostics]) => diagnostics));
  await vscode.commands.executeCommand('workbench.actions.view.problems');
  const name = vscode.workspace.asRelativePath(config);
  const verdict = verdictText(problems, elsewhere);
  services.log.info(`Check Loop Config: ${name}: ${verdict}`);
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
