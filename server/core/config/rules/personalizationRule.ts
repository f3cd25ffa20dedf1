/**
 * `{{user.<field>}}` placeholders in personalization values and subjects: each must name a column the
 * audience query returns (when its select list is known) or, failing that, a field of the user model.
 * `{{user.name}}` on a model with first_name/last_name offers both and a full-name replacement.
 */
import type { DjangoModel, ManyToManyInfo } from '../../django/projectModel';
import { isSensitiveFieldName } from '../../../protocol';
import { didYouMean } from '../didYouMean';
import type { RawFix, RawIssue } from '../issue';
import type { LoopRoot } from '../readConfigSource';
import type { QueryCheck } from '../sql/checkQuery';
import { quoteString } from '../textFixes';
import { stringAt, stringOffset, valueAt, type StringNode } from '../valueTree';
import type { RuleContext } from './ruleContext';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const FULL_NAME_WORDS = new Set(['name', 'full_name', 'fullname', 'display_name']);
const AUTH_USER_FIELDS = ['id', 'password', 'last_login', 'is_superuser', 'username', 'first_name', 'last_name', 'email', 'is_staff', 'is_active', 'date_joined'];

interface FieldFacts {
  /** Columns the query returns; null when not known statically. */
  selected: string[] | null;
  /** Field names and columns of the user model; null without a project. */
  model: string[] | null;
  audienceNode: StringNode | undefined;
  audience: QueryCheck | null;
  /** The user model's many-to-many fields: no column, so no placeholder can show them. */
  manyToMany: Map<string, ManyToManyInfo>;
}

function userModelNames(model: DjangoModel | null | undefined, authUser: boolean): string[] | null {
  if (model) return [...new Set(model.fields.flatMap((f) => (f.column === null ? [] : [f.column, f.name])))];
  return authUser ? AUTH_USER_FIELDS : null;
}

/** Strings that may hold placeholders: every personalization value and subject of every step. */
export function placeholderStrings(root: LoopRoot): StringNode[] {
  const steps = valueAt(root.tree, ['steps']);
  if (steps?.kind !== 'array') return [];
  return steps.elements.flatMap((_, i) => {
    const out: StringNode[] = [];
    const subject = stringAt(root.tree, ['steps', i, 'action', 'subject']);
    if (subject) out.push(subject);
    const values = valueAt(root.tree, ['steps', i, 'action', 'personalization']);
    if (values?.kind === 'object') for (const p of values.properties) if (p.value.kind === 'string') out.push(p.value);
    return out;
  });
}

export function checkPersonalization(root: LoopRoot, ctx: RuleContext, audience: QueryCheck | null): RawIssue[] {
  const facts: FieldFacts = {
    selected: audience?.output ?? null,
    model: ctx.project ? userModelNames(ctx.project.userModel, ctx.project.authUserModel === 'auth.User') : null,
    audienceNode: stringAt(root.tree, ['steps', 0, 'condition', 'query']),
    audience,
    manyToMany: new Map((ctx.project?.userModel?.fields ?? []).flatMap((f) => (f.manyToMany ? [[f.name, f.manyToMany] as const] : []))),
  };
  if (!facts.selected && !facts.model) return [];
  const issues: RawIssue[] = [];
  for (const node of placeholderStrings(root)) {
    for (const match of node.value.matchAll(PLACEHOLDER)) {
      const issue = checkPlaceholder(node, match, facts);
      if (issue) issues.push(issue);
    }
  }
  return issues;
}

function checkPlaceholder(node: StringNode, match: RegExpMatchArray, facts: FieldFacts): RawIssue | null {
  const whole = match[0];
  const inner = match[1] ?? '';
  const matchStart = match.index ?? 0;
  const innerStart = matchStart + whole.indexOf(inner, 2);
  const field = /^user\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(inner)?.[1];
  const span = { start: stringOffset(node, matchStart), end: stringOffset(node, matchStart + whole.length) };
  if (!field) {
    return { code: 'unknown-placeholder', severity: 'error', message: `'${whole}' is not a placeholder Skene fills in; use {{user.<field>}} with a column of the audience query.`, ...span, data: { placeholder: inner } };
  }
  if (isSensitiveFieldName(field)) {
    return { code: 'sensitive-placeholder', severity: 'error', message: `{{user.${field}}} would put a credential ('${field}') into an email. Remove it; emails may only use ordinary profile fields.`, ...span, data: { field } };
  }
  if (facts.selected?.includes(field)) return null;
  const m2m = facts.manyToMany.get(field);
  if (m2m) {
    const join = m2m.throughTable ? `join ${m2m.throughTable}` : 'join its through table';
    return { code: 'unknown-placeholder', severity: 'error', message: `{{user.${field}}} is a many-to-many field, not a column: a placeholder shows one value. To use it in the audience query, ${join}.`, ...span, data: { field, manyToMany: m2m } };
  }
  const inModel = facts.model?.includes(field) ?? false;
  if (inModel && facts.selected) return notSelected(field, span, facts);
  if (inModel && !facts.selected) return null;
  return unknownField(node, field, { start: stringOffset(node, innerStart + 5), end: stringOffset(node, innerStart + inner.length) }, span, facts);
}

function notSelected(field: string, span: { start: number; end: number }, facts: FieldFacts): RawIssue {
  const fixes: RawFix[] = [];
  const audience = facts.audience;
  if (facts.audienceNode && audience?.insertColumnAt !== null && audience?.insertColumnAt !== undefined) {
    const at = stringOffset(facts.audienceNode, audience.insertColumnAt);
    const text = quoteString(`${audience.userQualifier}${field}, `, facts.audienceNode.quote).slice(1, -1);
    fixes.push({ title: `Select ${field} in the query`, edits: [{ start: at, end: at, newText: text }] });
  }
  return {
    code: 'placeholder-not-selected',
    severity: 'warning',
    message: `{{user.${field}}} is a user field, but the audience query does not select '${field}', so it would render empty. Add ${field} to the select list.`,
    ...span,
    ...(fixes.length ? { fixes } : {}),
    data: { field },
  };
}

function unknownField(node: StringNode, field: string, nameSpan: { start: number; end: number }, span: { start: number; end: number }, facts: FieldFacts): RawIssue {
  const pool = [...(facts.selected ?? []), ...(facts.model ?? [])].filter((name) => !isSensitiveFieldName(name));
  const candidates = didYouMean(field, pool, 3);
  const fixes: RawFix[] = candidates.map((c) => ({ title: `Use {{user.${c}}}`, edits: [{ ...nameSpan, newText: c }] }));
  const fullName = FULL_NAME_WORDS.has(field) && pool.includes('first_name') && pool.includes('last_name');
  if (fullName) {
    const text = quoteString('{{user.first_name}} {{user.last_name}}', node.quote).slice(1, -1);
    fixes.push({ title: 'Use the full name: {{user.first_name}} {{user.last_name}}', edits: [{ ...span, newText: text }] });
  }
  const hint = candidates.length ? ` Did you mean ${candidates.map((c) => `{{user.${c}}}`).join(' or ')}${fullName ? ', or the full name {{user.first_name}} {{user.last_name}}' : ''}?` : ' Use a column the audience query selects.';
  return {
    code: 'unknown-placeholder',
    severity: 'error',
    message: `The user has no field '${field}'.${hint}`,
    start: nameSpan.start,
    end: nameSpan.end,
    ...(fixes.length ? { fixes } : {}),
    data: { field, candidates, ...(fullName ? { fullName: '{{user.first_name}} {{user.last_name}}' } : {}) },
  };
}
