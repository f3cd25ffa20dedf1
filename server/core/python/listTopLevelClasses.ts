import { parsePython } from './pythonParser';

export interface TopLevelClass {
  name: string;
  /** 1-based line of the `class` keyword (or of its first decorator). */
  line: number;
}

/** Returns the classes defined at module level, decorated or not, and whether the text had syntax errors. */
export async function listTopLevelClasses(source: string): Promise<{ classes: TopLevelClass[]; hasSyntaxErrors: boolean }> {
  const tree = await parsePython(source);
  try {
    const classes: TopLevelClass[] = [];
    for (const node of tree.rootNode.namedChildren) {
      if (!node) continue;
      const definition = node.type === 'decorated_definition' ? node.childForFieldName('definition') : node;
      if (definition?.type !== 'class_definition') continue;
      const name = definition.childForFieldName('name')?.text;
      if (name) classes.push({ name, line: node.startPosition.row + 1 });
    }
    return { classes, hasSyntaxErrors: tree.rootNode.hasError };
  } finally {
    tree.delete();
  }
}
