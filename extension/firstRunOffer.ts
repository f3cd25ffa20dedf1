import * as vscode from 'vscode';
import { ClientCommands } from '../server/protocol';
import { showNextSteps } from './commands/nextSteps';
import { findConfigFiles } from './configFiles';
import { findDjangoProjects } from './projectFolder';
import type { Services } from './services';

/** workspaceState key: the offer was shown in this workspace (whatever the answer, it is not shown again). */
export const FIRST_RUN_OFFERED = 'skene.firstRunOffered';

/**
 * On the first activation in a workspace that holds a Django project and no skene.config.ts, one
 * dismissible notification offers Initialize. Shown once per workspace: the answer (or a dismissal) is
 * remembered in workspaceState before anything else, so a reload never shows it twice. Nothing runs unless
 * the user clicks Initialize, which goes through the usual review.
 */
export function offerInitializeOnFirstRun(services: Services): void {
  const state = services.context.workspaceState;
  if (state.get<boolean>(FIRST_RUN_OFFERED)) {
    services.log.info('First run: Initialize was offered in this workspace before; not again');
    return;
  }
  void shouldOffer().then(async (offer) => {
    if (!offer || state.get<boolean>(FIRST_RUN_OFFERED)) return;
    await state.update(FIRST_RUN_OFFERED, true);
    services.log.info('First run: offering Initialize (no skene.config.ts in this Django workspace)');
    const choice = await vscode.window.showInformationMessage(
      'Skene: add a retention loop to this Django project? Initialize shows every file before writing it.',
      'Initialize',
      'Get Started',
    );
    if (choice === 'Initialize') await vscode.commands.executeCommand(ClientCommands.initialize);
    else if (choice === 'Get Started') await showNextSteps(services);
  }, (error: unknown) => services.log.error('First run: could not look for a Django project', error));
}

async function shouldOffer(): Promise<boolean> {
  if ((await findDjangoProjects()).length === 0) return false;
  return (await findConfigFiles()).length === 0;
}
