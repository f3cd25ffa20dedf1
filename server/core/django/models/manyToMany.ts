import { createHash } from 'node:crypto';
import type { DjangoField, DjangoModel, ManyToManyInfo } from '../projectModel';
import type { PyValue } from '../python/pyIr';

/** PostgreSQL's identifier limit, which Django's truncate_name applies to generated table names. */
const MAX_NAME = 63;

/** What a many-to-many field declares before the other models are known. */
export interface ManyToManyDecl {
  /** The other side as written: "app.Model", "Model", "self", a class reference or get_user_model(). */
  target: PyValue | string | null;
  through: PyValue | null;
}

/**
 * Fills a model's many-to-many fields with their target, through table and its two columns, as Django names them:
 * `<table>_<field>` (truncated like django.db.backends.utils.truncate_name), `<model>_id` / `<target>_id`
 * (`from_<model>_id` / `to_<model>_id` when the field points at its own model). An explicit `through=` model
 * gives its table; its columns are left null (they are the through model's own foreign keys).
 */
export function resolveManyToMany(
  model: DjangoModel,
  declOf: (field: DjangoField) => ManyToManyDecl | null,
  models: DjangoModel[],
  authUserModel: string,
): DjangoModel {
  if (!model.fields.some((f) => f.column === null && declOf(f))) return model;
  const label = `${model.app}.${model.class}`;
  const fields = model.fields.map((field) => {
    const decl = field.column === null ? declOf(field) : null;
    if (!decl) return field;
    const target = targetLabel(decl.target, model, models, authUserModel);
    const through = decl.through ? targetLabel(decl.through, model, models, authUserModel) : null;
    const info: ManyToManyInfo = through
      ? { target, throughTable: findModel(through, models)?.table ?? null, through, sourceColumn: null, targetColumn: null }
      : { target, throughTable: truncateName(`${model.table}_${field.name}`), through: null, ...autoColumns(model, target, label) };
    return { ...field, manyToMany: info };
  });
  return { ...model, fields };
}

function autoColumns(model: DjangoModel, target: string | null, label: string): Pick<ManyToManyInfo, 'sourceColumn' | 'targetColumn'> {
  const source = model.class.toLowerCase();
  if (target === label) return { sourceColumn: `from_${source}_id`, targetColumn: `to_${source}_id` };
  const other = target?.split('.').pop()?.toLowerCase();
  return { sourceColumn: `${source}_id`, targetColumn: other ? `${other}_id` : null };
}

function targetLabel(value: PyValue | string | null, model: DjangoModel, models: DjangoModel[], authUserModel: string): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (value.k === 'str') {
    if (value.v === 'self') return `${model.app}.${model.class}`;
    return value.v.includes('.') ? value.v : `${model.app}.${value.v}`;
  }
  if (value.k === 'call') return value.fn.k === 'ref' && value.fn.path.at(-1) === 'get_user_model' ? authUserModel : null;
  if (value.k === 'ref') {
    if (value.path.at(-1) === 'AUTH_USER_MODEL') return authUserModel;
    const cls = value.path.at(-1);
    const module = value.path.slice(0, -1).join('/');
    const matches = models.filter((m) => m.class === cls);
    const exact = matches.find((m) => m.file.replace(/(\/__init__)?\.py$/, '') === module) ?? (matches.length === 1 ? matches[0] : undefined);
    if (exact) return `${exact.app}.${exact.class}`;
    if (value.path.join('.') === 'django.contrib.auth.models.Group') return 'auth.Group';
    if (value.path.join('.') === 'django.contrib.auth.models.Permission') return 'auth.Permission';
  }
  return null;
}

function findModel(label: string, models: DjangoModel[]): DjangoModel | undefined {
  return models.find((m) => `${m.app}.${m.class}` === label) ?? models.find((m) => `${m.app}.${m.class}`.toLowerCase() === label.toLowerCase());
}

/** django.db.backends.utils.truncate_name with PostgreSQL's length: the head of the name plus 4 hex of its MD5. */
export function truncateName(name: string, length = MAX_NAME): string {
  if (name.length <= length) return name;
  const digest = createHash('md5').update(name).digest('hex').slice(0, 4);
  return `${name.slice(0, length - 4)}${digest}`;
}
