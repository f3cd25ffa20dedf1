/**
 * The global `--project PATH` flag, set by main.ts before a command runs and read by cliAnalyzeOptions /
 * cliProjectRoot. Kept apart (no imports) so that `skene --help` loads nothing more.
 */
let projectFlag: string | null = null;

export function setProjectFlag(value: string | null | undefined): void {
  projectFlag = value?.trim() ? value.trim() : null;
}

export function getProjectFlag(): string | null {
  return projectFlag;
}
