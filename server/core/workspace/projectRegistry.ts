/**
 * The projects the server knows: one ProjectState per workspace folder, plus one per folder of a config
 * opened outside them (editors started on a single file). A file belongs to the project with the deepest
 * root that holds it.
 */
import * as path from 'node:path';
import { ProjectState, type Logger, type ProjectChange, type SettingsModuleSource } from './projectState';

export class ProjectRegistry {
  private readonly states = new Map<string, ProjectState>();
  private readonly listeners: Array<(state: ProjectState) => void> = [];

  constructor(
    private readonly log: Logger,
    private readonly settingsModuleFor?: SettingsModuleSource,
  ) {}

  /** Starts analyzing a folder (idempotent). */
  addFolder(dir: string): ProjectState {
    const key = path.resolve(dir);
    let state = this.states.get(key);
    if (!state) {
      state = new ProjectState(key, this.log, this.settingsModuleFor);
      this.states.set(key, state);
    }
    return state;
  }

  removeFolder(dir: string): void {
    const key = path.resolve(dir);
    this.states.get(key)?.dispose();
    this.states.delete(key);
  }

  all(): ProjectState[] {
    return [...this.states.values()];
  }

  /** The project of `file`; when none holds it, a new one looked up from the file's folder. */
  forFile(file: string): ProjectState {
    return this.find(file) ?? this.addFolder(path.dirname(file));
  }

  find(file: string): ProjectState | undefined {
    let best: ProjectState | undefined;
    for (const state of this.states.values()) {
      if (state.contains(file) && (!best || state.root.length > best.root.length)) best = state;
    }
    return best;
  }

  /** Routes changes to the projects holding them; listeners hear once per project that changed. */
  async apply(changes: ProjectChange[]): Promise<ProjectState[]> {
    const byState = new Map<ProjectState, ProjectChange[]>();
    for (const change of changes) {
      const state = this.find(path.resolve(change.file));
      if (state) byState.set(state, [...(byState.get(state) ?? []), change]);
    }
    const changed: ProjectState[] = [];
    for (const [state, list] of byState) {
      // An edit that arrives during the first analysis must land on the finished model, not be lost.
      await state.ready;
      if (state.apply(list)) changed.push(state);
    }
    for (const state of changed) for (const listener of this.listeners) listener(state);
    return changed;
  }

  /** After a settings change: projects whose settings-module override changed are analyzed again. */
  async reconfigure(): Promise<void> {
    for (const state of this.states.values()) {
      if (await state.reconfigure()) for (const listener of this.listeners) listener(state);
    }
  }

  onDidChange(listener: (state: ProjectState) => void): void {
    this.listeners.push(listener);
  }

  dispose(): void {
    for (const state of this.states.values()) state.dispose();
    this.states.clear();
  }
}
