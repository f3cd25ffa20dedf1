/**
 * Where a new `from x import y` goes so that isort (and Ruff's I001) would leave it there: in its section
 * (future, standard library, third party, first party, local), after the section's `import x` lines and in
 * module order among its `from` lines. A new section is opened with one blank line on each side.
 */
import type { Node } from 'web-tree-sitter';
import { afterImportsOffset, type PyModule } from './pyTree';
import { lineStart, newlineOf, type TextEdit } from './textEdits';

type Section = 0 | 1 | 2 | 3 | 4;
const FUTURE = 0;
const STDLIB = 1;
const THIRD_PARTY = 2;
const FIRST_PARTY = 3;
const LOCAL = 4;

// The standard library modules a Django project imports at the top of settings, urls and models files.
const STDLIB_MODULES = new Set(('abc argparse ast asyncio base64 binascii calendar collections contextlib copy csv dataclasses datetime decimal ' +
  'email enum errno fnmatch functools glob gzip hashlib heapq hmac html http importlib inspect io ipaddress itertools json ' +
  'locale logging math mimetypes operator os pathlib pickle platform pprint queue random re secrets shlex shutil signal ' +
  'socket sqlite3 ssl string struct subprocess sys tempfile textwrap threading time traceback types typing unicodedata ' +
  'unittest urllib uuid warnings weakref xml zipfile zoneinfo').split(' '));

interface ImportLine {
  node: Node;
  module: string;
  from: boolean;
  section: Section;
}

export function sectionOf(module: string, firstParty: ReadonlySet<string>): Section {
  if (module.startsWith('.')) return LOCAL;
  const top = module.split('.')[0] ?? '';
  if (top === '__future__') return FUTURE;
  if (STDLIB_MODULES.has(top)) return STDLIB;
  return firstParty.has(top) ? FIRST_PARTY : THIRD_PARTY;
}

function importLines(module: PyModule, firstParty: ReadonlySet<string>): ImportLine[] {
  const end = afterImportsOffset(module);
  const lines: ImportLine[] = [];
  for (const node of module.tree.rootNode.namedChildren) {
    if (node.startIndex >= end) break;
    if (node.type === 'import_from_statement' || node.type === 'future_import_statement') {
      const name = node.type === 'future_import_statement' ? '__future__' : node.childForFieldName('module_name')?.text ?? '';
      lines.push({ node, module: name, from: true, section: sectionOf(name, firstParty) });
    } else if (node.type === 'import_statement') {
      const first = node.namedChildren[0];
      const name = first?.type === 'aliased_import' ? first.childForFieldName('name')?.text ?? '' : first?.text ?? '';
      lines.push({ node, module: name, from: false, section: sectionOf(name, firstParty) });
    }
  }
  return lines;
}

/** An edit adding `from <fromModule> import ...` (the whole `statement`) where isort would put it. */
export function placeImport(module: PyModule, statement: string, fromModule: string, firstParty: ReadonlySet<string>): TextEdit {
  const nl = newlineOf(module.text);
  const lines = importLines(module, firstParty);
  const section = sectionOf(fromModule, firstParty);
  const same = lines.filter((l) => l.section === section);
  if (same.length) {
    const later = same.find((l) => l.from && l.module.toLowerCase() > fromModule.toLowerCase());
    if (later) {
      const at = lineStart(module.text, later.node.startIndex);
      return { start: at, end: at, text: `${statement}${nl}` };
    }
    const last = same[same.length - 1]!;
    return { start: last.node.endIndex, end: last.node.endIndex, text: `${nl}${statement}` };
  }
  const before = lines.filter((l) => l.section < section).pop();
  if (before) return { start: before.node.endIndex, end: before.node.endIndex, text: `${nl}${nl}${statement}` };
  const after = lines.find((l) => l.section > section);
  if (after) {
    const at = lineStart(module.text, after.node.startIndex);
    return { start: at, end: at, text: `${statement}${nl}${nl}` };
  }
  const at = afterImportsOffset(module);
  return { start: at, end: at, text: at ? `${nl}${nl}${statement}` : `${statement}${nl}${nl}` };
}

/** The project's own top-level packages (its apps and the settings package), plus those its isort config names. */
export function firstPartyPackages(apps: Array<{ module: string; path: string | null }>, settingsModule: string | null, extra: string[] = []): Set<string> {
  const names = apps.filter((a) => a.path !== null).map((a) => a.module.split('.')[0] ?? '');
  if (settingsModule) names.push(settingsModule.split('.')[0] ?? '');
  return new Set([...names, ...extra].filter(Boolean));
}
