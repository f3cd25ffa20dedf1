import * as path from 'node:path';
import { buildProjectModel } from './buildProjectModel';
import { chooseProject, type DiscoveredProject } from './discoverProjects';
import type { ProjectRoot } from './findProjectRoot';
import { ProjectFiles } from './projectFiles';
import type { ProjectModel } from './projectModel';
import { ModuleParser } from './python/moduleParser';
import { scanProject } from './scanProject';

/** A file change as a watcher or an editor reports it. */
export type FileChange = { text: string } | { deleted: true } | { changedOnDisk: true } | { folders: true };

export interface AnalyzeOptions {
  /** DJANGO_SETTINGS_MODULE to read instead of the one the project declares (e.g. "config.settings.prod"). */
  settingsModule?: string | null;
  /** The project folder to use when several are found (`--project`, the `skene.projectPath` setting), relative to the start folder. */
  projectPath?: string | null;
}

/** No Django project, several with none chosen, or a --project that is not one: the message says which. */
export class NoDjangoProjectError extends Error {
  readonly code = 'no-django-project';
  constructor(
    readonly dir: string,
    message?: string,
    /** The projects found when there are several (the caller lists them). */
    readonly candidates: DiscoveredProject[] = [],
  ) {
    super(message ?? `No Django project found in ${dir}: no manage.py in it, below it (4 levels) or above it, and no DJANGO_SETTINGS_MODULE in pytest.ini / setup.cfg / pyproject.toml.`);
  }
}

/**
 * The incremental analyzer the language server keeps per workspace: `analyze()` once, then `updateFile()`
 * from file watchers or editor buffers. Only the changed file is read and parsed again; everything else
 * comes from per-path caches, so an update costs one parse plus a re-run over cached module IRs.
 */
export class ProjectAnalyzer {
  private files: ProjectFiles | null = null;
  private found: ProjectRoot | null = null;
  private model: ProjectModel | null = null;

  constructor(
    private readonly dir: string,
    private readonly options: AnalyzeOptions = {},
  ) {}

  /** Cold analysis. Throws NoDjangoProjectError when there is no Django project at or around `dir`. */
  async analyze(): Promise<ProjectModel> {
    const choice = chooseProject(this.dir, this.options.projectPath);
    if (!choice.ok) throw new NoDjangoProjectError(path.resolve(this.dir), choice.message, choice.candidates);
    const found: ProjectRoot = { root: choice.project.root, managePy: choice.project.managePy };
    this.found = found;
    this.files?.dispose();
    // The grammar's wasm compiles off the main thread while the folders are walked.
    const parser = ModuleParser.create();
    const listing = scanProject(found.root);
    this.files = new ProjectFiles(found.root, await parser, listing);
    this.model = buildProjectModel(this.files, found, this.options);
    return this.model;
  }

  get current(): ProjectModel | null {
    return this.model;
  }

  /** Files found, read and parsed so far (zeros before the first analysis). */
  fileCounts(): { listed: number; read: number; parsed: number } {
    return this.files?.counts() ?? { listed: 0, read: 0, parsed: 0 };
  }

  /**
   * Applies one change and returns the new model. `file` is absolute or relative to the project root;
   * `{ text }` is an editor buffer, `{ changedOnDisk }` re-reads the file, `{ folders }` re-walks the tree.
   */
  updateFile(file: string, change: FileChange): ProjectModel {
    if (!this.files || !this.found) throw new Error('ProjectAnalyzer.updateFile called before analyze() finished');
    const rel = path.relative(this.found.root, path.resolve(this.found.root, file)).split(path.sep).join('/');
    // Outside the root only files of a source folder's packages are read (a package developed beside tests/manage.py).
    if (rel.startsWith('..') && !this.files.has(rel)) return this.model as ProjectModel;
    if ('folders' in change) this.files.rescan();
    else if ('deleted' in change) this.files.update(rel, { deleted: true });
    else if ('text' in change) this.files.update(rel, { text: change.text });
    else this.files.update(rel, {});
    this.model = buildProjectModel(this.files, this.found, this.options);
    return this.model;
  }

  /** Frees the parser and the trees kept for incremental parsing. */
  dispose(): void {
    this.files?.dispose();
    this.files = null;
  }
}
