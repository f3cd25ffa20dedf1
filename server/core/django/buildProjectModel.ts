import { userWriteSites } from './activityWrites';
import { detectActivity, pointsAtUser } from './detectActivity';
import { detectCelery } from './detectCelery';
import { declaredDependencies, postgresDriver } from './declaredDependencies';
import { detectDatabase } from './detectDatabase';
import { detectJobs } from './detectJobs';
import { detectEmail } from './detectEmail';
import { detectStripe } from './detectStripe';
import type { ProjectRoot } from './findProjectRoot';
import { ClassModelCache } from './models/classModels';
import type { ProjectFiles } from './projectFiles';
import type { DjangoField, DjangoModel, ProjectModel, UnresolvedFact } from './projectModel';
import { resolveManyToMany, type ManyToManyDecl } from './models/manyToMany';
import { moduleNameOf } from './python/moduleNames';
import { NameResolver } from './python/moduleSymbols';
import { readMigrations } from './readMigrations';
import { readModels, type ModelRecord } from './readModels';
import { readRequirements } from './readRequirements';
import { resolveAuthUserModel } from './resolveAuthUserModel';
import { resolveInstalledApps } from './resolveInstalledApps';
import { SettingsReader, type Binding, type SettingsRead } from './settings/readSettings';
import { resolveConfigurationClass, resolveSettingsModule } from './settings/resolveSettingsModule';
import { packagingSourceRoots } from './sourceRoots';
import type { AnalyzeOptions } from './projectAnalyzer';
import { asString, asStringList } from './settings/settingsValues';
import { summarizeSettings } from './settings/summarizeSettings';

/**
 * Computes the whole ProjectModel from the project's files. Every file read or parsed goes through
 * `files`, which caches per path: after an edit only that file is parsed again and this function re-runs
 * over cached module IRs (plain JS, a few milliseconds).
 */
export function buildProjectModel(files: ProjectFiles, found: ProjectRoot, options: AnalyzeOptions = {}): ProjectModel {
  const resolver = new NameResolver(files);
  const unresolved: UnresolvedFact[] = [];
  files.setSourceRoots('packaging', packagingSourceRoots(files, found.managePy));
  const settingsModule = resolveSettingsModule(files, found.managePy, options.settingsModule);
  unresolved.push(...settingsModule.unresolved);
  const declared = settingsModule.declaredAt ? { file: settingsModule.declaredAt.file, line: settingsModule.declaredAt.line } : null;
  const read: SettingsRead | null = settingsModule.module ? new SettingsReader(files).read(settingsModule.module, declared, resolveConfigurationClass(files, found.managePy)) : null;
  if (read) unresolved.push(...read.unresolved);
  // Django imports the settings before the apps: folders they add to sys.path are searched for apps and models.
  files.setSourceRoots('settings', read?.sysPath ?? []);
  const values = read?.values ?? new Map<string, Binding>();

  const installed = installedApps(values.get('INSTALLED_APPS'), unresolved);
  const where = bindingWhere(values.get('INSTALLED_APPS'));
  const appsRead = resolveInstalledApps(installed, files, resolver, where);
  unresolved.push(...appsRead.unresolved);
  const apps = appsRead.apps;

  const models = readModels(files, resolver, apps, asString(values.get('DEFAULT_AUTO_FIELD')?.value), classModelCache(files));
  unresolved.push(...models.unresolved);
  const auth = resolveAuthUserModel(authSetting(values.get('AUTH_USER_MODEL'), unresolved), models.records, apps.some((a) => a.label === 'auth'), new Map(apps.map((a) => [a.label, a.path])));
  unresolved.push(...auth.unresolved);

  const migrations = readMigrations(files, apps, migrationModules(values.get('MIGRATION_MODULES')));
  const celery = detectCelery(files, resolver, values, apps);
  const deps = declaredDependencies(files);
  const database = detectDatabase(values.get('DATABASES'), read?.alternatives.get('DATABASES') ?? [], postgresDriver(deps));
  const jobs = detectJobs(deps, installed, values.has('INSTALLED_APPS') ? where : null, celery.celery);
  const email = detectEmail(values);
  unresolved.push(...migrations.unresolved, ...celery.unresolved, ...database.unresolved, ...email.unresolved);

  const resolved = manyToManyFields(models.records, auth.userModel, auth.authUserModel);
  const userRecord = models.records.find((r) => r.model === auth.userModel);
  const userClassNames = userRecord ? [`${moduleNameOf(files.moduleRel(userRecord.model.file))}.${userRecord.model.class}`] : ['django.contrib.auth.models.User'];
  const user = { label: auth.authUserModel, classNames: userClassNames, appLabel: auth.authUserModel.split('.')[0] ?? '' };
  const problems = files.problems();
  return {
    root: files.root,
    managePy: found.managePy,
    sourceRoots: files.extraSourceRoots(),
    settings: summarizeSettings(read, files.root, settingsModule.declaredAt),
    authUserModel: auth.authUserModel,
    userModel: auth.userModel ? (resolved.get(auth.userModel) ?? auth.userModel) : null,
    models: models.records.map((r) => resolved.get(r.model) ?? r.model),
    apps: apps.map(({ label, module, path }) => ({ label, module, path })),
    database: database.database,
    celery: celery.celery,
    jobs,
    email: email.email,
    stripe: detectStripe(files, values, apps, auth.fields, readRequirements(files), {
      records: models.records,
      userLabel: auth.authUserModel,
      pointsAtUser: (field, record) => pointsAtUser(field, record, user),
    }),
    activity: detectActivity(models.records, user, auth.fields, (record, field) => userWriteSites(files, {
      className: record.model.class,
      userField: field.name,
      reverseAccessor: field.decl?.relatedName ?? `${record.model.class.toLowerCase()}_set`,
    })),
    migrations: migrations.migrations,
    unresolved: [...unresolved, ...problems.notes],
    staleReadings: files.staleReadings(),
    skipped: [
      ...problems.skipped,
      ...files.skippedDirs().map((d) => ({ file: d.dir, line: 0, message: `skipped folder: ${d.reason}` })),
      ...files.skippedFiles().map((f) => ({ file: f.file, line: 0, message: `skipped file: ${f.reason}` })),
    ].sort((a, b) =>
      a.file < b.file ? -1 : a.file > b.file ? 1 : 0,
    ),
  };
}

/**
 * Models with their many-to-many fields filled in (target, through table, its columns): needs every model and
 * the user model's label, so it runs after both are read. Models without such fields are returned as they are.
 */
function manyToManyFields(records: ModelRecord[], userModel: DjangoModel | null, authUserModel: string): Map<DjangoModel, DjangoModel> {
  const all = records.map((r) => r.model);
  // Only models with many-to-many fields are rebuilt (most have none; this runs after every edit).
  const withM2m = records.filter((r) => r.fields.some((f) => f.decl?.manyToMany || f.manyToMany));
  const byModel = new Map(withM2m.map((r) => [r.model, new Map(r.fields.map((f) => [f.name, f]))]));
  const declOf = (model: DjangoModel) => (field: DjangoField): ManyToManyDecl | null => {
    const decl = byModel.get(model)?.get(field.name)?.decl;
    if (decl?.manyToMany) return { target: decl.target, through: decl.manyToMany.through };
    return field.manyToMany?.target ? { target: field.manyToMany.target, through: null } : null;
  };
  const out = new Map<DjangoModel, DjangoModel>();
  const userExtra = userModel && !all.includes(userModel) ? [userModel] : [];
  for (const model of [...withM2m.map((r) => r.model), ...userExtra]) {
    out.set(model, resolveManyToMany(model, declOf(model), all, authUserModel));
  }
  return out;
}

/** One cache of computed model classes per project (it lives as long as the ProjectFiles it reads). */
const classModelCaches = new WeakMap<ProjectFiles, ClassModelCache>();

function classModelCache(files: ProjectFiles): ClassModelCache {
  let cache = classModelCaches.get(files);
  if (!cache) {
    cache = new ClassModelCache();
    classModelCaches.set(files, cache);
  }
  return cache;
}

function bindingWhere(binding: Binding | undefined): { file: string; line: number } {
  return binding ? { file: binding.file, line: binding.loc.line } : { file: '', line: 0 };
}

function installedApps(binding: Binding | undefined, unresolved: UnresolvedFact[]): string[] {
  if (!binding) {
    unresolved.push({ file: '', line: 0, message: 'INSTALLED_APPS is not set in the settings' });
    return [];
  }
  const list = asStringList(binding.value);
  if (!list) {
    unresolved.push({ file: binding.file, line: binding.loc.line, message: 'INSTALLED_APPS is not a list Skene can read statically' });
    return [];
  }
  for (const item of list.unknown) {
    const text = item.k === 'unknown' ? item.text : item.k === 'ref' ? item.path.join('.') : item.k;
    unresolved.push({ file: binding.file, line: binding.loc.line, message: `an INSTALLED_APPS entry is computed (${text}); that app is not included` });
  }
  return list.items;
}

function authSetting(binding: Binding | undefined, unresolved: UnresolvedFact[]): { value: string | null; file: string; line: number } | null {
  if (!binding) return null;
  const value = asString(binding.value);
  if (value === null) unresolved.push({ file: binding.file, line: binding.loc.line, message: 'AUTH_USER_MODEL is computed; assuming auth.User' });
  return { value, file: binding.file, line: binding.loc.line };
}

function migrationModules(binding: Binding | undefined): Map<string, string | null> {
  const out = new Map<string, string | null>();
  if (binding?.value.k !== 'dict') return out;
  for (const [key, value] of binding.value.entries) {
    if (key.k === 'str' && value.k === 'str') out.set(key.v, value.v);
    else if (key.k === 'str' && value.k === 'none') out.set(key.v, null);
  }
  return out;
}
