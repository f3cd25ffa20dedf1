/**
 * The per-version cache every feature shares: skene.config.ts is checked once per (text version, project
 * version), and hovers, completions, code actions and lenses read that one result. One entry per file, so
 * memory stays flat however long the session runs.
 */
import { checkConfig, type CheckResult } from '../config/checkConfig';
import type { ProjectState } from './projectState';

export interface ConfigAnalysis {
  uri: string;
  /** Text version (the editor's, or a negative number for text read from disk). */
  version: number;
  projectVersion: number;
  text: string;
  result: CheckResult;
  state: ProjectState;
}

/** Texts above this size are not checked (a config is a few kB; megabytes mean a wrong file or an attack, and
 * checking 5 MB takes ~1.5 s during which every other request waits). */
export const MAX_CONFIG_CHARS = 2_000_000;

/** Told after each check (the server logs its time at debug level). */
export type CheckObserver = (analysis: ConfigAnalysis, ms: number) => void;

export class ConfigAnalyses {
  private readonly entries = new Map<string, ConfigAnalysis>();

  constructor(private readonly onChecked: CheckObserver = () => undefined) {}

  get(uri: string, version: number, text: string, state: ProjectState): ConfigAnalysis {
    const cached = this.entries.get(uri);
    if (cached && cached.version === version && cached.projectVersion === state.version && cached.state === state && cached.text === text) return cached;
    const started = performance.now();
    const analysis: ConfigAnalysis = { uri, version, projectVersion: state.version, text, result: this.check(text, state), state };
    this.entries.set(uri, analysis);
    this.onChecked(analysis, performance.now() - started);
    return analysis;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  private check(text: string, state: ProjectState): CheckResult {
    if (text.length > MAX_CONFIG_CHARS) return { issues: [], loops: [] };
    return checkConfig(text, state.model, state.checkOptions());
  }
}
