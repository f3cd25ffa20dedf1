/**
 * Adds the last-activity field to the custom user model's class source, after its last field, so that
 * the model and the generated migration agree (`makemigrations --check` stays clean).
 */
import type { Node } from 'web-tree-sitter';
import type { LoopTarget } from '../loopTarget';
import { pyIdentifier } from '../python/pySyntax';
import { firstPartyPackages, placeImport } from '../python/importPlacement';
import { classNamed, importedNames, type PyModule } from '../python/pyTree';
import { indentAt, lineEnd, newlineOf, type TextEdit } from '../python/textEdits';
import type { GeneratorContext } from '../types';
import { fitCall, wrapComment } from '../style/lineLength';
import { DEFAULT_LINE_LENGTH, readProjectLint } from '../style/projectLint';
import type { EditSet } from './fileEdits';
import { moduleFor } from './settingsEdits';

/** Names assigned in the class body: a field called `timezone` would shadow the module in the field's default. */
function classBodyNames(body: Node): Set<string> {
  const names = new Set<string>();
  for (const statement of body.namedChildren) {
    const assignment = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    if (left?.type === 'identifier') names.add(left.text);
  }
  return names;
}

/** The last `name = <call>(...)` statement of the class body (a field), else the docstring, else null. */
function insertAfter(body: Node): Node | null {
  let last: Node | null = null;
  for (const statement of body.namedChildren) {
    const first = statement.type === 'expression_statement' ? statement.namedChild(0) : null;
    if (first?.type === 'assignment' && first.childForFieldName('right')?.type === 'call') last = statement;
    else if (!last && first?.type === 'string') last = statement;
  }
  return last;
}

/** How the module refers to django.utils.timezone, adding an import when needed. */
function timezoneName(module: PyModule, body: Node, edits: TextEdit[], firstParty: ReadonlySet<string>): string {
  const imported = importedNames(module);
  const shadowed = classBodyNames(body);
  for (const [name, target] of imported) if (target === 'django.utils.timezone' && !shadowed.has(name)) return name;
  const name = imported.has('timezone') || shadowed.has('timezone') ? 'django_timezone' : 'timezone';
  edits.push(placeImport(module, `from django.utils import timezone${name === 'timezone' ? '' : ` as ${name}`}`, 'django.utils', firstParty));
  return name;
}

export async function addUserField(ctx: GeneratorContext, edits: EditSet, target: LoopTarget): Promise<void> {
  const store = target.store;
  if (store.kind !== 'user-column' || !store.add) return;
  const { model, field } = store.add;
  if (model.fields.some((f) => f.name === field && f.inheritedFrom === null)) return;
  const module = await moduleFor(ctx, model.file);
  const cls = module ? classNamed(module, model.class) : null;
  const body = cls?.childForFieldName('body');
  if (!module || !body) {
    ctx.notes.push({ severity: 'error', message: `Could not find class ${model.class} in ${model.file} to add ${field}.` });
    return;
  }
  const fileEdits: TextEdit[] = [];
  const firstParty = firstPartyPackages(ctx.project.apps, ctx.project.settings.module);
  const tz = timezoneName(module, body, fileEdits, firstParty);
  const models = [...importedNames(module)].find(([, t]) => t === 'django.db.models')?.[0] ?? 'models';
  const anchor = insertAfter(body);
  const first = body.namedChildren.find((c) => c.type !== 'comment') ?? body;
  const indent = indentAt(module.text, (anchor ?? first).startIndex);
  const nl = newlineOf(module.text);
  // Without a configured length, Black's and Ruff's 88: saleor formats with ruff-format's default and got a 113-column field.
  const limit = readProjectLint(ctx.readFile).lineLength ?? DEFAULT_LINE_LENGTH;
  const comment = `Last activity, kept current by Skene (${target.events ? `a trigger on ${target.events.table}` : 'skene_retention\'s middleware'}); skene.config.ts selects dormant users on it.`.replace(/[\r\n]+/g, ' ');
  const code = [
    ...wrapComment(comment, indent, limit),
    ...fitCall(indent, `${pyIdentifier(field)} = ${models}.DateTimeField(`, ['null=True', 'blank=True', 'db_index=True', `default=${tz}.now`, 'editable=False'], limit),
  ].join(nl);
  const at = anchor ? lineEnd(module.text, anchor.endIndex) : lineEnd(module.text, body.startIndex - 1);
  fileEdits.push({ start: at, end: at, text: anchor ? `${nl}${nl}${code}` : `${nl}${code}${nl}` });
  if (!importedNames(module).has(models)) fileEdits.push(placeImport(module, 'from django.db import models', 'django.db', firstParty));
  edits.add(model.file, fileEdits, `adds ${model.class}.${field} (last activity)`);
}
