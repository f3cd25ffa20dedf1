import type { Command } from 'commander';
import { registerAnalyze } from './analyze';
import { registerCheck } from './check';
import { registerDemo } from './demo';
import { registerDoctor } from './doctor';
import { registerInit } from './init';
import { registerReport } from './report';
import { registerRun } from './run';
import { registerSendTest } from './sendTest';

/** Sets the process exit code from a command (commander actions cannot return one). */
export type SetExitCode = (code: number) => void;

/**
 * Registers every `skene` command. A command that is not built yet says which issue brings it and exits 2:
 * no command pretends to work.
 */
export function registerCommands(program: Command, setExitCode: SetExitCode): void {
  registerAnalyze(program, setExitCode);
  registerCheck(program, setExitCode);
  registerInit(program, setExitCode);
  registerRun(program, setExitCode);
  registerReport(program, setExitCode);
  registerSendTest(program, setExitCode);
  registerDoctor(program, setExitCode);
  registerDemo(program, setExitCode);
}
