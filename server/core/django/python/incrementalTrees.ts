import { Edit, type Parser, type Point, type Tree } from 'web-tree-sitter';

/**
 * Keeps the trees of the few texts edited most recently (the file a user is typing in), so the next
 * version re-parses with `tree.edit` + the old tree. Cold analysis keeps no trees: they live in wasm
 * memory, cost ~40 bytes per source byte, and a one-shot parse of a small file is already ~1 ms.
 */
export class IncrementalTrees {
  private readonly trees = new Map<string, { text: string; tree: Tree }>();

  constructor(private readonly capacity = 4) {}

  /** Parses `text` for `key`, reusing the previous tree of that key when there is one. Caller must not delete it. */
  parse(parser: Parser, key: string, text: string): Tree {
    const previous = this.trees.get(key);
    let tree: Tree | null;
    if (previous && previous.text !== text) {
      previous.tree.edit(editBetween(previous.text, text));
      tree = parser.parse(text, previous.tree);
      previous.tree.delete();
    } else if (previous) {
      tree = previous.tree;
    } else {
      tree = parser.parse(text);
    }
    if (!tree) throw new Error('tree-sitter returned no tree');
    this.trees.delete(key);
    this.trees.set(key, { text, tree });
    this.evict();
    return tree;
  }

  forget(keyPrefix: string): void {
    for (const [key, entry] of this.trees) {
      if (key === keyPrefix || key.startsWith(`${keyPrefix}#`)) {
        entry.tree.delete();
        this.trees.delete(key);
      }
    }
  }

  clear(): void {
    for (const entry of this.trees.values()) entry.tree.delete();
    this.trees.clear();
  }

  private evict(): void {
    while (this.trees.size > this.capacity) {
      const oldest = this.trees.keys().next().value as string;
      this.trees.get(oldest)?.tree.delete();
      this.trees.delete(oldest);
    }
  }
}

/** The single edit turning `before` into `after`: common prefix and suffix kept, the middle replaced. */
export function editBetween(before: string, after: string): Edit {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  });
}

function pointAt(text: string, index: number): Point {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}
