/** Insertions into the user's own Python files, collected per file and applied together to its current text. */
import type { TextEdit } from '../python/textEdits';

export interface FileEdits {
  path: string;
  edits: TextEdit[];
  /** One reason per insertion, joined in the plan. */
  reasons: string[];
}

export class EditSet {
  private readonly byPath = new Map<string, FileEdits>();

  add(path: string, edits: TextEdit[], reason: string): void {
    if (!edits.length) return;
    const entry = this.byPath.get(path) ?? { path, edits: [], reasons: [] };
    entry.edits.push(...edits);
    entry.reasons.push(reason);
    this.byPath.set(path, entry);
  }

  files(): FileEdits[] {
    return [...this.byPath.values()];
  }
}
