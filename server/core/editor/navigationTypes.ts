/** Plain targets of definition, references and rename: a place in a project file or in the config itself. */

/** A range in a project file (path relative to the root). Lines 1-based, characters 0-based UTF-16. */
export interface FileTarget {
  kind: 'file';
  file: string;
  line: number;
  character: number;
  endLine: number;
  endCharacter: number;
}

/** A range of the config text being edited (offsets). */
export interface ConfigTarget {
  kind: 'config';
  start: number;
  end: number;
}

export type NavigationTarget = FileTarget | ConfigTarget;

/** A file target on one whole line's start (model classes and fields: the ProjectModel knows lines only). */
export function lineTarget(file: string, line: number): FileTarget {
  return { kind: 'file', file, line, character: 0, endLine: line, endCharacter: 0 };
}

/** Offsets of a text -> a file target. */
export function textTarget(file: string, text: string, start: number, end: number): FileTarget {
  const a = lineAndCharacter(text, start);
  const b = lineAndCharacter(text, end);
  return { kind: 'file', file, line: a.line, character: a.character, endLine: b.line, endCharacter: b.character };
}

function lineAndCharacter(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, character: offset - lineStart };
}

/** What the navigation features read besides the checked config: files of the project, read by the caller. */
export interface ProjectFiles {
  /** Template files of a template name that exist, relative to the root (html first). */
  templateFiles: (name: string) => string[];
  /** Text of a project file (open editor first, else disk), or null when it does not exist. */
  read: (relative: string) => string | null;
}
