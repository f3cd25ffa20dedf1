import { builtinFields, builtinModelClass } from './builtinAuthModels';
import type { ModelField } from './models/classModels';
import type { DjangoModel, UnresolvedFact } from './projectModel';
import { publicField, type ModelRecord } from './readModels';

export interface AuthUserModel {
  authUserModel: string;
  userModel: DjangoModel | null;
  /** The user's columns with their declarations (null for Django's auth.User). */
  fields: ModelField[];
  unresolved: UnresolvedFact[];
}

/** Django's own auth.User, as every project without AUTH_USER_MODEL uses it (table auth_user, AutoField id). */
export function builtinAuthUser(): { model: DjangoModel; fields: ModelField[] } {
  const user = builtinModelClass('django.contrib.auth.models.User');
  const inherited = user ? builtinFields(user) : [];
  const fields: ModelField[] = [
    { name: 'id', type: 'AutoField', column: 'id', inheritedFrom: null, decl: null, order: [-2, '', 0] },
    ...inherited.map((f, i): ModelField => ({ ...f, decl: null, order: [-1, '', i] })),
  ];
  const model: DjangoModel = {
    app: 'auth',
    class: 'User',
    file: 'django/contrib/auth/models.py',
    line: 0,
    bases: ['AbstractUser'],
    table: 'auth_user',
    fields: fields.map(publicField),
    builtin: true,
  };
  return { model, fields };
}

/** AUTH_USER_MODEL ("app_label.ModelName", default "auth.User") -> the model class among the project's models. */
export function resolveAuthUserModel(
  setting: { value: string | null; file: string; line: number } | null,
  records: ModelRecord[],
  authInstalled: boolean,
  /** The installed apps by label, with their folder in the project (null: a package installed outside it). */
  appPaths: ReadonlyMap<string, string | null> = new Map(),
): AuthUserModel {
  const unresolved: UnresolvedFact[] = [];
  const authUserModel = setting?.value ?? 'auth.User';
  if (authUserModel === 'auth.User') {
    if (!authInstalled) unresolved.push({ file: setting?.file ?? '', line: setting?.line ?? 0, message: 'django.contrib.auth is not in INSTALLED_APPS: there is no user model' });
    const builtin = builtinAuthUser();
    return { authUserModel, userModel: authInstalled ? builtin.model : null, fields: authInstalled ? builtin.fields : [], unresolved };
  }
  const [label, className] = authUserModel.split('.');
  const record = records.find((r) => r.model.app === label && r.model.class === className);
  if (!record) {
    const where = setting ? { file: setting.file, line: setting.line } : { file: '', line: 0 };
    const app = label ? appPaths.get(label) : undefined;
    // openwisp-controller's test project: the user model lives in openwisp-users, a package installed from PyPI.
    const message = app === null
      ? `AUTH_USER_MODEL ${authUserModel}: the app "${label}" is an installed package outside the project, so its ${className} model (fields, table) is not read`
      : `AUTH_USER_MODEL ${authUserModel}: no concrete model ${className} found in an app labelled "${label}"`;
    unresolved.push({ ...where, message });
    return { authUserModel, userModel: null, fields: [], unresolved };
  }
  return { authUserModel, userModel: record.model, fields: record.fields, unresolved };
}
