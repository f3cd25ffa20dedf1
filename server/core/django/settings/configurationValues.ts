import type { PyValue } from '../python/pyIr';
import { dottedName } from './staticEval';

/** django-configurations' URL values: their environment variable has no prefix and a fixed name. */
const URL_VALUES: Record<string, string> = {
  DatabaseURLValue: 'DATABASE_URL',
  CacheURLValue: 'CACHE_URL',
  EmailURLValue: 'EMAIL_URL',
  SearchURLValue: 'SEARCH_URL',
};

/**
 * A django-configurations `values.XValue(...)` class attribute (already evaluated) as the value it takes:
 * an environment read named as the library names it (`DJANGO_<NAME>` unless `environ_name` /
 * `environ_prefix` say otherwise) with the default given, and for `DatabaseURLValue` the `{alias: url}`
 * dict Django gets. Null when `value` is not such a call.
 */
export function configurationValue(setting: string, value: PyValue): PyValue | null {
  if (value.k !== 'call') return null;
  const fn = dottedName(value.fn);
  const kind = fn?.startsWith('configurations.') ? fn.split('.').pop() : undefined;
  if (!kind || !kind.endsWith('Value')) return null;
  const fallback = value.args[0] ?? value.kwargs.default ?? null;
  const environ = value.kwargs.environ;
  if (environ?.k === 'bool' && !environ.v) return fallback ?? { k: 'none' };
  const urlEnv = URL_VALUES[kind];
  const env: PyValue = { k: 'env', name: environName(setting, value.kwargs, urlEnv), default: kind === 'SecretValue' ? null : fallback };
  if (kind !== 'DatabaseURLValue') return env;
  const alias = value.kwargs.alias?.k === 'str' ? value.kwargs.alias.v : 'default';
  return { k: 'dict', entries: [[{ k: 'str', v: alias }, { k: 'dburl', url: env }]] };
}

/**
 * `values.Value(...)` inside a dict or list of a class attribute (richie: `DATABASES = {"default": {"ENGINE":
 * values.Value("...", environ_name="DB_ENGINE", environ_prefix=None)}}`): the library resolves these when they
 * are built, from `environ_name` (and `environ_prefix`); one without `environ_name` is read as its default.
 * Null when nothing inside is such a call.
 */
export function nestedConfigurationValues(value: PyValue): PyValue | null {
  if (value.k === 'dict') {
    let changed = false;
    const entries = value.entries.map(([k, v]): [PyValue, PyValue] => {
      const inner = nestedValue(v);
      changed ||= inner !== null;
      return [k, inner ?? v];
    });
    return changed ? { k: 'dict', entries } : null;
  }
  if (value.k === 'list' || value.k === 'tuple') {
    let changed = false;
    const items = value.items.map((v) => {
      const inner = nestedValue(v);
      changed ||= inner !== null;
      return inner ?? v;
    });
    return changed ? { k: value.k, items } : null;
  }
  return null;
}

function nestedValue(value: PyValue): PyValue | null {
  if (value.k !== 'call') return nestedConfigurationValues(value);
  const read = configurationValue('', value);
  if (!read || value.kwargs.environ_name?.k === 'str') return read;
  return value.args[0] ?? value.kwargs.default ?? { k: 'none' };
}

function environName(setting: string, kwargs: Record<string, PyValue>, urlEnv: string | undefined): string {
  const named = kwargs.environ_name?.k === 'str' ? kwargs.environ_name.v : (urlEnv ?? setting.toUpperCase());
  const prefixArg = kwargs.environ_prefix;
  const prefix = prefixArg ? (prefixArg.k === 'str' ? prefixArg.v : '') : urlEnv ? '' : 'DJANGO';
  const trimmed = prefix.endsWith('_') ? prefix.slice(0, -1) : prefix;
  return trimmed ? `${trimmed}_${named}` : named;
}
