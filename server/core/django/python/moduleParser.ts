import type { Parser } from 'web-tree-sitter';
import { createPythonParser } from '../../python/pythonParser';
import { buildModuleIr } from './buildModuleIr';
import { fastModuleIr } from './fastIr/fastModuleIr';
import { IncrementalTrees } from './incrementalTrees';
import type { ModuleIr } from './pyIr';
import { shiftIr } from './shiftIr';
import { CHUNK_THRESHOLD, splitTopLevel } from './splitTopLevel';

/** A chunk's IR as parsed (lines relative to the chunk) and as last placed in its file. */
interface ParsedChunk {
  raw: ModuleIr;
  lineOffset: number;
  placed: ModuleIr['body'];
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

  forget(path: string): void {
    this.chunkCache.delete(path);
    this.trees.forget(path);
  }

  dispose(): void {
    this.trees.clear();
    this.parser.delete();
  }

  /** The fast reader first; tree-sitter for what it declines (syntax errors, Python 2, unusual forms). */
  private parseUnit(key: string, text: string, editing: boolean): ModuleIr {
    const fast = fastModuleIr(text);
    if (fast) return fast;
    if (editing) return buildModuleIr(this.trees.parse(this.parser, key, text), text);
    const tree = this.parser.parse(text);
    if (!tree) throw new Error('tree-sitter returned no tree');
    try {
      return buildModuleIr(tree, text);
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
      const raw = known?.raw ?? this.parseUnit(`${path}#${index}`, chunk.text, editing);
      if (raw.errorLines.length) return null;
      // Unchanged chunk at the same line: reuse its placed statements as they are (no copy).
      const placed = known?.lineOffset === chunk.lineOffset ? known.placed : shiftIr(raw, chunk.lineOffset).body;
      next.set(chunk.text, { raw, lineOffset: chunk.lineOffset, placed });
      for (const stmt of placed) body.push(stmt);
    }
    this.chunkCache.set(path, next);
    return { body, errorLines: [] };
  }
}
