import type { Node, Parser } from 'web-tree-sitter';
import { createPythonParser } from '../../python/pythonParser';
import { buildModuleIr } from './buildModuleIr';
import { fastModuleIr } from './fastIr/fastModuleIr';
import { IncrementalTrees } from './incrementalTrees';
import type { ModuleIr } from './pyIr';
import { shiftIr } from './shiftIr';
import { CHUNK_THRESHOLD, splitTopLevel } from './splitTopLevel';

export type SyntaxNode = Node;

/** A chunk's IR, placed at the line where the chunk was when it was parsed or last moved. */
interface ParsedChunk {
  ir: ModuleIr;
  lineOffset: number;
}

/**
 * Text -> ModuleIr, with the caching that makes re-analysis cheap: big files are parsed in chunks and a
 * chunk whose text did not change keeps its IR; recently edited texts keep their tree for `tree.edit`.
 * Clean, ordinary Python is read by the fast reader (fastIr/); tree-sitter reads the rest, recovering
 * from syntax errors, and both give the same IR (test/unit/analyzer/fastIr.test.ts compares them).
 */
export class ModuleParser {
  private readonly chunkCache = new Map<string, Map<string, ParsedChunk>>();
  private readonly trees = new IncrementalTrees();

  private constructor(private readonly parser: Parser) {}

  static async create(): Promise<ModuleParser> {
    return new ModuleParser(await createPythonParser());
  }

  /** `editing` marks a re-parse after a change: keep the tree for the next edit of the same text unit. */
  parse(path: string, text: string, editing = false): ModuleIr {
    if (text.length > CHUNK_THRESHOLD) {
      const chunked = this.parseChunked(path, text, editing);
      if (chunked) return chunked;
    }
    this.chunkCache.delete(path);
    return this.parseUnit(path, text, editing);
  }

  /** Parses `text` with tree-sitter and hands the root to `read`; the tree is deleted afterwards. */
  withTree<T>(text: string, read: (root: Node) => T): T {
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    try {
      return read(tree.rootNode);
    } finally {
      tree.delete();
    }
  }

  forget(path: string): void {
    this.chunkCache.delete(path);
    this.trees.forget(path);
  }

  dispose(): void {
    this.trees.clear();
    this.parser.delete();
  }

  /** The fast reader first; tree-sitter for what it declines (syntax errors, Python 2, unusual forms). */
  private parseUnit(key: string, text: string, editing: boolean, firstLine = 0): ModuleIr {
    const fast = fastModuleIr(text, firstLine);
    if (fast) return fast;
    if (editing) return shiftIr(buildModuleIr(this.trees.parse(this.parser, key, text), text), firstLine);
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    try {
      return shiftIr(buildModuleIr(tree, text), firstLine);
    } finally {
      tree.delete();
    }
  }

  /** Returns null when a chunk has a syntax error: the split may be wrong, so the caller parses the file whole. */
  private parseChunked(path: string, text: string, editing: boolean): ModuleIr | null {
    const previous = this.chunkCache.get(path);
    const next = new Map<string, ParsedChunk>();
    const body: ModuleIr['body'] = [];
    for (const [index, chunk] of splitTopLevel(text).entries()) {
      const known = previous?.get(chunk.text) ?? next.get(chunk.text);
      let ir: ModuleIr;
      if (!known) ir = this.parseUnit(`${path}#${index}`, chunk.text, editing, chunk.lineOffset);
      // An unchanged chunk at the same line keeps its statements (same objects: their caches stay valid).
      else if (known.lineOffset === chunk.lineOffset) ir = known.ir;
      else ir = shiftIr(known.ir, chunk.lineOffset - known.lineOffset);
      if (ir.errorLines.length) return null;
      next.set(chunk.text, { ir, lineOffset: chunk.lineOffset });
      for (const stmt of ir.body) body.push(stmt);
    }
    this.chunkCache.set(path, next);
    return { body, errorLines: [] };
  }
}
