/**
 * Semantic tokens for the SQL of loop queries: names that resolve to the project's tables and columns.
 * The TextMate injection grammar colors SQL keywords; these say which names are real (a typo stays
 * plain). Offsets in the config text, in document order.
 */
import { stringAt, stringOffset } from '../config/valueTree';
import type { ConfigView } from './configCursor';
import { readQuery, sqlReferences } from './sqlReferences';

/** Token types in legend order (VS Code themes color `class` as a type and `property` as a field). */
export const SEMANTIC_TOKEN_TYPES = ['class', 'property'] as const;
export type SemanticTokenType = (typeof SEMANTIC_TOKEN_TYPES)[number];

export interface SemanticTokenEntry {
  start: number;
  end: number;
  type: SemanticTokenType;
}

const QUERY_PATHS = [['steps', 0, 'condition', 'query'], ['exit', 'query']];

export function sqlSemanticTokens(view: ConfigView): SemanticTokenEntry[] {
  const project = view.project;
  if (!project) return [];
  const tokens: SemanticTokenEntry[] = [];
  for (const loop of view.result.loops) {
    for (const path of QUERY_PATHS) {
      const query = stringAt(loop.tree, path);
      if (!query) continue;
      for (const reference of sqlReferences(project, readQuery(query.value))) {
        tokens.push({ start: stringOffset(query, reference.start), end: stringOffset(query, reference.end), type: reference.kind === 'table' ? 'class' : 'property' });
      }
    }
  }
  return tokens.sort((a, b) => a.start - b.start);
}
