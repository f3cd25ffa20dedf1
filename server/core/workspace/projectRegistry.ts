/**
 * The projects the server knows: one ProjectState per Django project of each workspace folder (a monorepo
 * holding backend/ and services/api/ gets two, found by the shared discovery), plus one per folder of a config
 * opened outside them (editors started on a single file). A file belongs to the project with the deepest
 * root that holds it. What is asked of a folder holding several (an analyze request, Initialize, a config at the
 * repository root) goes to the one the `skene.projectPath` setting names, else the only one with
 * skene.config.ts, else the first found: chooseProject's rule, as the CLI's `--project`.
 */
import * as path from 'node:path';
import { chooseProject, discoverProjects } from '../django/discoverProjects';
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

  /** Workspace folder -> its `skene.projectPath` (relative to it), when set. */
  private readonly projectPaths = new Map<string, string>();

  /** Starts analyzing a folder (idempotent): the project at, below or above it, or each one when it holds several. */
  addFolder(dir: string): ProjectState {
    const key = path.resolve(dir);
    const extra = this.extraRoots.get(key);
    if (extra) return this.stateOfRoot(this.primaryRoot(key, extra)) as ProjectState;
    const known = this.states.get(key);
    if (known) return known;
    const projects = discoverProjects(key);
    if (projects.length > 1) {
      const roots = projects.map((p) => p.root);
      this.extraRoots.set(key, roots);
      for (const root of roots) if (!this.states.has(root)) this.states.set(root, new ProjectState(root, this.log, this.settingsModuleFor));
      return this.stateOfRoot(this.primaryRoot(key, roots)) as ProjectState;
    }
    const state = new ProjectState(key, this.log, this.settingsModuleFor);
    this.states.set(key, state);
    return state;
  }

  /**
   * Sets a folder's `skene.projectPath` (null: unset). Returns whether it changed. Only folders holding several
   * projects are affected (each of them is analyzed either way; the setting says which one the folder means).
   */
  setProjectPath(dir: string, projectPath: string | null): boolean {
    const key = path.resolve(dir);
    const wanted = projectPath?.trim() || null;
    if ((this.projectPaths.get(key) ?? null) === wanted) return false;
    if (wanted) this.projectPaths.set(key, wanted);
    else this.projectPaths.delete(key);
    return true;
  }

  /** Folders added (workspace folders, and folders of files opened outside them). */
  folders(): string[] {
    return [...new Set([...this.extraRoots.keys(), ...this.states.keys()])];
  }

  /** Of a folder's several projects, the one it means: the setting's, else the only configured one, else the first. */
  private primaryRoot(key: string, roots: string[]): string | undefined {
    const wanted = this.projectPaths.get(key);
    const choice = chooseProject(key, wanted);
    if (choice.ok && roots.includes(choice.project.root)) return choice.project.root;
    if (wanted && !choice.ok && !this.warned.has(`${key}\u0000${wanted}`)) {
      this.warned.add(`${key}\u0000${wanted}`);
      this.log.info(`skene.projectPath: ${choice.message}`);
    }
    return roots[0];
  }

  private readonly warned = new Set<string>();

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
