import { Language, Parser, type Tree } from 'web-tree-sitter';
import { locateWasm } from './locateWasm';

let loading: Promise<Language> | undefined;

/** Loads the tree-sitter runtime and the Python grammar once per process (both are wasm, no native addon). */
export function loadPythonLanguage(): Promise<Language> {
  loading ??= (async () => {
    const runtimeWasm = locateWasm('web-tree-sitter.wasm', 'web-tree-sitter');
    await Parser.init({ locateFile: () => runtimeWasm });
    return Language.load(locateWasm('tree-sitter-python.wasm', 'tree-sitter-python'));
  })();
  return loading;
}

/** A parser bound to the Python grammar. Parsers are cheap; trees must be `delete()`d when dropped. */
export async function createPythonParser(): Promise<Parser> {
  const language = await loadPythonLanguage();
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** Parses one Python source text. The caller owns the returned tree. */
export async function parsePython(source: string, previous?: Tree): Promise<Tree> {
  const parser = await createPythonParser();
  try {
    const tree = parser.parse(source, previous ?? null);
    if (!tree) throw new Error('tree-sitter returned no tree');
    return tree;
  } finally {
    parser.delete();
  }
}
