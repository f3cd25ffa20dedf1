/** Dotted module name of a project file: "config/settings/__init__.py" -> "config.settings". */
export function moduleNameOf(relPath: string): string {
  const noExt = relPath.replace(/\.py$/, '');
  const parts = noExt.split('/');
  if (parts[parts.length - 1] === '__init__') parts.pop();
  return parts.join('.');
}

/** The package a module's relative imports start from (the module itself for a package's __init__). */
export function packageOf(relPath: string): string {
  const module = moduleNameOf(relPath);
  if (relPath.endsWith('__init__.py')) return module;
  const cut = module.lastIndexOf('.');
  return cut === -1 ? '' : module.slice(0, cut);
}

/** Resolves `from <level dots><module> import ...` seen in `relPath` to an absolute dotted module. */
export function absoluteModule(relPath: string, level: number, module: string): string {
  if (level === 0) return module;
  const parts = packageOf(relPath).split('.').filter(Boolean);
  const base = parts.slice(0, Math.max(0, parts.length - (level - 1)));
  return [...base, ...(module ? module.split('.') : [])].join('.');
}
