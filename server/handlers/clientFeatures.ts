import type { ClientCapabilities } from 'vscode-languageserver/node';
import type { ClientFeatures } from './context';

export const NO_FEATURES: ClientFeatures = {
  pullDiagnostics: false,
  diagnosticRefresh: false,
  codeLensRefresh: false,
  configuration: false,
  configurationDynamic: false,
  documentChanges: false,
  createFiles: false,
  renameFiles: false,
  deleteFiles: false,
  changeAnnotations: false,
  watchedFilesDynamic: false,
  workspaceFolders: false,
  applyEdit: false,
};

/** What the client declared at initialize; features the client lacks are simply not used. */
export function readClientFeatures(capabilities: ClientCapabilities): ClientFeatures {
  const workspace = capabilities.workspace;
  const edit = workspace?.workspaceEdit;
  return {
    pullDiagnostics: capabilities.textDocument?.diagnostic !== undefined,
    diagnosticRefresh: workspace?.diagnostics?.refreshSupport === true,
    codeLensRefresh: workspace?.codeLens?.refreshSupport === true,
    configuration: workspace?.configuration === true,
    configurationDynamic: workspace?.didChangeConfiguration?.dynamicRegistration === true,
    documentChanges: edit?.documentChanges === true,
    createFiles: edit?.resourceOperations?.includes('create') === true,
    renameFiles: edit?.resourceOperations?.includes('rename') === true,
    deleteFiles: edit?.resourceOperations?.includes('delete') === true,
    changeAnnotations: edit?.changeAnnotationSupport !== undefined,
    watchedFilesDynamic: workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    workspaceFolders: workspace?.workspaceFolders === true,
    applyEdit: workspace?.applyEdit === true,
  };
}
