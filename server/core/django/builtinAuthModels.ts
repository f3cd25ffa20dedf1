import type { DjangoField } from './projectModel';

/**
 * Django's own auth base classes, as Django 3.2–5.x define them (django/contrib/auth/base_user.py and
 * models.py). Columns are what `_meta.concrete_fields` reports; many-to-many fields (groups, user_permissions)
 * have no column: their through table is filled in once the concrete user model is known (manyToMany.ts).
 */
export interface BuiltinModelClass {
  name: string;
  /** Canonical dotted names this class is importable as. */
  names: string[];
  /** Builtin bases, nearest first, for field inheritance. */
  bases: string[];
  abstract: boolean;
  fields: Array<Pick<DjangoField, 'name' | 'type' | 'column'> & { null?: boolean; target?: string }>;
}

const ABSTRACT_BASE_USER: BuiltinModelClass = {
  name: 'AbstractBaseUser',
  names: ['django.contrib.auth.base_user.AbstractBaseUser', 'django.contrib.auth.models.AbstractBaseUser'],
  bases: [],
  abstract: true,
  fields: [
    { name: 'password', type: 'CharField', column: 'password' },
    { name: 'last_login', type: 'DateTimeField', column: 'last_login', null: true },
  ],
};

const PERMISSIONS_MIXIN: BuiltinModelClass = {
  name: 'PermissionsMixin',
  names: ['django.contrib.auth.models.PermissionsMixin'],
  bases: [],
  abstract: true,
  fields: [
    { name: 'is_superuser', type: 'BooleanField', column: 'is_superuser' },
    { name: 'groups', type: 'ManyToManyField', column: null, target: 'auth.Group' },
    { name: 'user_permissions', type: 'ManyToManyField', column: null, target: 'auth.Permission' },
  ],
};

const ABSTRACT_USER: BuiltinModelClass = {
  name: 'AbstractUser',
  names: ['django.contrib.auth.models.AbstractUser'],
  bases: ['AbstractBaseUser', 'PermissionsMixin'],
  abstract: true,
  fields: [
    { name: 'username', type: 'CharField', column: 'username' },
    { name: 'first_name', type: 'CharField', column: 'first_name' },
    { name: 'last_name', type: 'CharField', column: 'last_name' },
    { name: 'email', type: 'EmailField', column: 'email' },
    { name: 'is_staff', type: 'BooleanField', column: 'is_staff' },
    { name: 'is_active', type: 'BooleanField', column: 'is_active' },
    { name: 'date_joined', type: 'DateTimeField', column: 'date_joined' },
  ],
};

const USER: BuiltinModelClass = {
  name: 'User',
  names: ['django.contrib.auth.models.User'],
  bases: ['AbstractUser'],
  abstract: false,
  fields: [],
};

const MODEL: BuiltinModelClass = {
  name: 'Model',
  names: ['django.db.models.Model', 'django.db.models.base.Model'],
  bases: [],
  abstract: true,
  fields: [],
};

export const BUILTIN_MODEL_CLASSES: BuiltinModelClass[] = [MODEL, ABSTRACT_BASE_USER, PERMISSIONS_MIXIN, ABSTRACT_USER, USER];

const BY_DOTTED = new Map(BUILTIN_MODEL_CLASSES.flatMap((c) => c.names.map((n) => [n, c] as const)));
const BY_NAME = new Map(BUILTIN_MODEL_CLASSES.map((c) => [c.name, c] as const));

export function builtinModelClass(dotted: string): BuiltinModelClass | null {
  return BY_DOTTED.get(dotted) ?? null;
}

/** Django creates these fields in this order (base_user.py is imported before models.py's classes). */
const FIELD_RANK = new Map(
  [ABSTRACT_BASE_USER, PERMISSIONS_MIXIN, ABSTRACT_USER].flatMap((c) => c.fields.map((f) => `${c.name}.${f.name}`)).map((key, i) => [key, i] as const),
);

/** Position of a builtin field in Django's creation order (sorts inherited fields like `_meta` does). */
export function builtinFieldRank(field: Pick<DjangoField, 'name' | 'inheritedFrom'>): number {
  return FIELD_RANK.get(`${field.inheritedFrom ?? ''}.${field.name}`) ?? 0;
}

/** Fields of a builtin class with inheritance, bases first, each tagged with the class that declares it. */
export function builtinFields(cls: BuiltinModelClass): DjangoField[] {
  const out: DjangoField[] = [];
  for (const baseName of cls.bases) {
    const base = BY_NAME.get(baseName);
    if (base) out.push(...builtinFields(base));
  }
  for (const field of cls.fields) {
    out.push({
      name: field.name,
      type: field.type,
      column: field.column,
      inheritedFrom: cls.name,
      ...(field.null ? { null: true } : {}),
      ...(field.target ? { manyToMany: { target: field.target, throughTable: null, through: null, sourceColumn: null, targetColumn: null } } : {}),
    });
  }
  return out;
}
