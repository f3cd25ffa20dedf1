import * as vscode from 'vscode';
import type { Services } from '../services';

/** Id of the walkthrough in package.json (contributes.walkthroughs). */
export const WALKTHROUGH_ID = 'skene.gettingStarted';

/** Opens the three-step walkthrough (initialize, migrate, run). */
export async function showNextSteps(services: Services): Promise<void> {
  const extensionId = services.context.extension.id;
  await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extensionId}#${WALKTHROUGH_ID}`, false);
}
