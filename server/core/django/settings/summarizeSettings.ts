import * as path from 'node:path';
import type { EnvSetting, SettingsInfo, SourceLocation } from '../projectModel';
import { dictGet } from './staticEval';
import type { Binding, SettingsRead } from './readSettings';
import { asString, envReads, relativePath, toJson } from './settingsValues';

const DJANGO_DEFAULT_TIME_ZONE = 'America/Chicago';

/** The SettingsInfo part of the ProjectModel from what readSettings executed. */
export function summarizeSettings(read: SettingsRead | null, root: string, declaredAt: SourceLocation | null): SettingsInfo {
  const info: SettingsInfo = { module: read?.module ?? null, files: read?.files ?? [] };
  if (declaredAt) info.declaredAt = declaredAt;
  if (!read) return info;
  const values = read.values;
  const installed = values.get('INSTALLED_APPS');
  if (installed) info.installedAppsAt = valueLocation(installed);
  const middleware = values.get('MIDDLEWARE') ?? values.get('MIDDLEWARE_CLASSES');
  if (middleware) info.middlewareAt = valueLocation(middleware);
  const tz = values.get('TIME_ZONE');
  info.timeZone = tz ? asString(tz.value) : DJANGO_DEFAULT_TIME_ZONE;
  info.templateDirs = templateDirs(values.get('TEMPLATES'), root);
  info.fromEnv = fromEnv(values, root);
  return info;
}

function valueLocation(binding: Binding): SourceLocation {
  const at = binding.literalAt ?? { file: binding.file, loc: binding.valueLoc };
  const { line, column, endLine, endColumn } = at.loc;
  return { file: at.file, line, column, endLine, endColumn };
}

function templateDirs(templates: Binding | undefined, root: string): string[] {
  if (!templates || (templates.value.k !== 'list' && templates.value.k !== 'tuple')) return [];
  const out: string[] = [];
  for (const engine of templates.value.items) {
    const dirs = engine.k === 'dict' ? dictGet(engine, 'DIRS') : null;
    if (!dirs || (dirs.k !== 'list' && dirs.k !== 'tuple')) continue;
    for (const dir of dirs.items) {
      if (dir.k === 'path') out.push(relativePath(root, dir.abs));
      else if (dir.k === 'str') out.push(path.isAbsolute(dir.v) ? relativePath(root, dir.v) : dir.v);
    }
  }
  return out;
}

function fromEnv(values: Map<string, Binding>, root: string): EnvSetting[] {
  const out: EnvSetting[] = [];
  const seen = new Set<string>();
  for (const [setting, binding] of values) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(setting)) continue;
    for (const read of envReads(binding.value)) {
      const key = `${setting}:${read.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const def = toJson(read.default, root);
      out.push({ setting, env: read.name, default: def, hasDefault: read.default !== null, file: binding.file, line: binding.loc.line });
    }
  }
  return out.sort((a, b) => (a.setting < b.setting ? -1 : a.setting > b.setting ? 1 : a.env < b.env ? -1 : 1));
}
