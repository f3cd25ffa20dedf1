import type * as vscode from 'vscode';

/**
 * Integrated terminals (and Cursor's agent, which runs commands in them) get SKENE_CLI, the path of the CLI
 * inside this extension: `npx skene ...` in a project resolves the vendored @skene/sdk launcher, which runs it
 * (no `skene` package exists on the npm registry).
 */
export function exposeCliToTerminals(context: vscode.ExtensionContext): void {
  context.environmentVariableCollection.description = 'Lets `npx skene` find the CLI of the Skene extension.';
  context.environmentVariableCollection.replace('SKENE_CLI', context.asAbsolutePath('dist/cli.js'));
}
