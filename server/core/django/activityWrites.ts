/**
 * Evidence that a project writes a table's rows with a user, read from its code (tree-sitter, never executed):
 * `Event.objects.create(user=request.user, …)` (also get_or_create / update_or_create), `Event(user=…)` (then
 * `.save()` or `bulk_create`), a reverse manager `request.user.events.create(…)`, and a DRF serializer of the model
 * saved with the user, `serializer.save(user=self.request.user)`, in a class or function that names the serializer.
 * A signal receiver is code like any other. Tests, factories and migrations are not evidence: they write fixtures.
 */
import type { ProjectFiles } from './projectFiles';
import type { SyntaxNode } from './python/moduleParser';

export interface WriteTarget {
  /** The model class name, as the code names it. */
  className: string;
  /** The name of the foreign key to the user (`user`); `user_id=` counts too. */
  userField: string;
  /** The reverse accessor on the user: related_name, else `<model>_set`. */
  reverseAccessor: string;
}

export interface WriteSite {
  file: string;
  line: number;
  /** What was found, e.g. "Event.objects.create(user=request.user)". */
  how: string;
  /**
   * The user written is the one acting: `request.user` (a view's `self.request.user`, GraphQL's
   * `info.context.user`), or a parameter of the enclosing function (a signal receiver's `user`, a tracking helper's
   * argument). `user=feed.owner` in a feed importer is a write with a user, but not of what that user did.
   */
  acting: boolean;
}

const CREATE_METHODS = new Set(['create', 'get_or_create', 'update_or_create', 'acreate', 'aget_or_create', 'aupdate_or_create']);
const SAVE_METHODS = new Set(['save', 'asave']);
/** Code that writes rows to set up tests or sample data, not rows of real use. */
const NOT_EVIDENCE = /(^|\/)(tests?|migrations|factories|fixtures)(\/|$)|(^|\/)(test_[^/]*|[^/]*_tests?|tests|conftest|factories)\.py$/;

/** Every place the project writes the model's rows with a user, sorted by file and line. */
export function userWriteSites(files: ProjectFiles, target: WriteTarget): WriteSite[] {

  const sources = files.allFiles().filter((rel) => rel.endsWith('.py') && !NOT_EVIDENCE.test(rel));
  const naming = sources.filter((rel) => files.bytesMention(rel, [target.className]).size > 0);
  const serializers = [...new Set(naming.flatMap((rel) => files.syntaxFact(rel, `serializersOf:${target.className}`, (root) => serializersOf(root, target.className), [])))].sort();
  const needles = [target.className, target.reverseAccessor, ...serializers];
  const key = `userWrites:${JSON.stringify([target, serializers])}`;
  const sites: WriteSite[] = [];
  for (const rel of sources) {
    if (files.bytesMention(rel, needles).size === 0) continue;
    for (const site of files.syntaxFact(rel, key, (root) => writesIn(root, target, serializers), [])) sites.push({ file: rel, ...site });
  }
  return sites;
}

/** Classes with `class Meta: model = <className>` (DRF ModelSerializers, forms): their `save(user=…)` writes the model. */
function serializersOf(root: SyntaxNode, className: string): string[] {
  const out: string[] = [];
  for (const cls of root.descendantsOfType('class_definition')) {
    if (!cls) continue;
    const meta = classBody(cls).find((s) => s.type === 'class_definition' && s.childForFieldName('name')?.text === 'Meta');
    if (!meta) continue;
    const model = classBody(meta).some((s) => {
      const assign = s.type === 'expression_statement' ? s.namedChildren[0] : null;
      return assign?.type === 'assignment' && assign.childForFieldName('left')?.text === 'model' && lastName(assign.childForFieldName('right')) === className;
    });
    const name = cls.childForFieldName('name')?.text;
    if (model && name) out.push(name);
  }
  return out;
}

type Found = Omit<WriteSite, 'file'>;

function writesIn(root: SyntaxNode, target: WriteTarget, serializers: string[]): Found[] {
  const out: Found[] = [];
  for (const call of root.descendantsOfType('call')) {
    const found = call ? writeOf(call, target, serializers) : null;
    if (found) out.push(found);
  }
  return out;
}

function writeOf(call: SyntaxNode, target: WriteTarget, serializers: string[]): Found | null {
  const fn = call.childForFieldName('function');
  const user = userKeyword(call, target.userField);
  const line = call.startPosition.row + 1;
  const found = (how: string, value: SyntaxNode): Found => ({ line, how, acting: isActingUser(value, call) });
  if (fn?.type === 'identifier') return fn.text === target.className && user ? found(`${target.className}(${user.text})`, user.value) : null;
  if (fn?.type !== 'attribute') return null;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const owner = fn.childForFieldName('object');
  if (CREATE_METHODS.has(method) && owner?.type === 'attribute') {
    if (lastName(owner.childForFieldName('object')) === target.className && user) return found(`${target.className}.${owner.childForFieldName('attribute')?.text ?? 'objects'}.${method}(${user.text})`, user.value);
    // `request.user.events.create(...)`: the reverse manager sets the user itself.
    const base = owner.childForFieldName('object');
    if (owner.childForFieldName('attribute')?.text === target.reverseAccessor && base) return found(`${owner.text}.${method}(…)`, base);
    return null;
  }
  if (SAVE_METHODS.has(method) && user && serializers.length) {
    const scope = enclosingScope(call);
    const named = serializers.find((s) => new RegExp(`\\b${s}\\b`).test(scope?.text ?? ''));
    if (named) return found(`${named} ….${method}(${user.text})`, user.value);
  }
  return null;
}

/** `user=…` or `user_id=…` with a value other than None, or null. */
function userKeyword(call: SyntaxNode, field: string): { text: string; value: SyntaxNode } | null {
  const args = call.childForFieldName('arguments');
  for (const arg of args?.namedChildren ?? []) {
    if (arg?.type !== 'keyword_argument') continue;
    const name = arg.childForFieldName('name')?.text;
    const value = arg.childForFieldName('value');
    if ((name === field || name === `${field}_id`) && value && value.type !== 'none') return { text: `${name}=${short(value.text)}`, value };
  }
  return null;
}

const REQUEST_USER = /(^|\.)(request|context)\.user(\.(id|pk))?$/;

/** The user who acts: `request.user` (any `….request.user`, `info.context.user`) or a parameter of the enclosing function. */
function isActingUser(value: SyntaxNode, call: SyntaxNode): boolean {
  const text = value.text.replace(/\s+/g, '');
  if (REQUEST_USER.test(text)) return true;
  const name = /^([A-Za-z_]\w*)(\.(id|pk))?$/.exec(text)?.[1];
  return name !== undefined && name !== 'self' && parametersOf(call).includes(name);
}

function parametersOf(node: SyntaxNode): string[] {
  let fn: SyntaxNode | null = node.parent;
  while (fn && fn.type !== 'function_definition') fn = fn.parent;
  const params = fn?.childForFieldName('parameters')?.namedChildren ?? [];
  return params.map((p) => (p?.type === 'identifier' ? p.text : p?.childForFieldName('name')?.text ?? p?.namedChildren.find((c) => c?.type === 'identifier')?.text ?? '')).filter(Boolean);
}

function short(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat;
}

/** The outermost class around a node (a DRF view names its serializer in the class body), else its function. */
function enclosingScope(node: SyntaxNode): SyntaxNode | null {
  let fn: SyntaxNode | null = null;
  let cls: SyntaxNode | null = null;
  for (let at = node.parent; at; at = at.parent) {
    if (at.type === 'function_definition') fn ??= at;
    if (at.type === 'class_definition') cls = at;
  }
  return cls ?? fn;
}

function classBody(cls: SyntaxNode): SyntaxNode[] {
  return (cls.childForFieldName('body')?.namedChildren ?? []).filter((n): n is SyntaxNode => n !== null);
}

/** `Event` for `Event`, `models.Event`; null for anything else. */
function lastName(node: SyntaxNode | null): string | null {
  if (node?.type === 'identifier') return node.text;
  if (node?.type === 'attribute') return node.childForFieldName('attribute')?.text ?? null;
  return null;
}
