import type * as vscode from 'vscode';

/**
 * Integrated terminals (and Cursor's agent, which runs commands in them) get SKENE_CLI, the path of the CLI
 * inside this extension: `node "$SKENE_CLI" check` works where the npm package is not installed.
 */
export function exposeCliToTerminals(context: vscode.ExtensionContext): void {
  context.environmentVariableCollection.description = 'SKENE_CLI: the path of the Skene CLI inside this extension.';
  context.environmentVariableCollection.replace('SKENE_CLI', context.asAbsolutePath('dist/cli.js'));
}
