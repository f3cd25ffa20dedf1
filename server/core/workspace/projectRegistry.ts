/**
 * The projects the server knows: one ProjectState per Django project of each workspace folder (a monorepo
 * holding backend/ and services/api/ gets two, found by the shared discovery), plus one per folder of a config
 * opened outside them (editors started on a single file). A file belongs to the project with the deepest
 * root that holds it.
 */
import * as path from 'node:path';
import { discoverProjects } from '../django/discoverProjects';
import { ProjectState, type Logger, type ProjectChange, type SettingsModuleSource } from './projectState';

export class ProjectRegistry {
  private readonly states = new Map<string, ProjectState>();
  private readonly listeners: Array<(state: ProjectState) => void> = [];
  /** Workspace folder -> the extra project roots analyzed for it (when it holds several projects). */
  private readonly extraRoots = new Map<string, string[]>();

  constructor(
    private readonly log: Logger,
    private readonly settingsModuleFor?: SettingsModuleSource,
  ) {}

  /** Starts analyzing a folder (idempotent): the project at, below or above it, or each one when it holds several. */
  addFolder(dir: string): ProjectState {
    const key = path.resolve(dir);
    const known = this.states.get(key) ?? this.stateOfRoot(this.extraRoots.get(key)?.[0]);
    if (known) return known;
    const projects = discoverProjects(key);
    if (projects.length > 1) {
      const roots = projects.map((p) => p.root);
      this.extraRoots.set(key, roots);
      for (const root of roots) if (!this.states.has(root)) this.states.set(root, new ProjectState(root, this.log, this.settingsModuleFor));
      return this.stateOfRoot(roots[0]) as ProjectState;
    }
    const state = new ProjectState(key, this.log, this.settingsModuleFor);
    this.states.set(key, state);
    return state;
  }

  private stateOfRoot(root: string | undefined): ProjectState | undefined {
    return root === undefined ? undefined : this.states.get(root);
  }

  removeFolder(dir: string): void {
    const key = path.resolve(dir);
    for (const root of [key, ...(this.extraRoots.get(key) ?? [])]) {
      this.states.get(root)?.dispose();
      this.states.delete(root);
    }
    this.extraRoots.delete(key);
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
