import { ServerCommands, type InitializeCommandArgs, type InitializeCommandResult } from '../server/protocol';
import type { SkeneClient } from './languageClient';

/** Asks the server for the Initialize plan without writing anything. */
export async function requestPlan(client: SkeneClient, args: InitializeCommandArgs): Promise<InitializeCommandResult> {
  return executeServerCommand(client, ServerCommands.previewPlan, args);
}

async function executeServerCommand(
  client: SkeneClient,
  command: string,
  args: InitializeCommandArgs,
): Promise<InitializeCommandResult> {
  const running = await client.ensureStarted();
  // The method name as a string: importing the request type would load the client library at activation.
  const result = await running.sendRequest<InitializeCommandResult | null | undefined>('workspace/executeCommand', {
    command,
    arguments: [args],
  });
  if (!result || !Array.isArray(result.files)) {
    return { root: args.root ?? '', files: [], notes: [], error: 'the language server could not make a plan (its error is in the Skene output)' };
  }
  return result;
}
