/** What every rule receives: the config text, the project (or null when there is none) and the options. */
import type { ProjectModel } from '../../django/projectModel';
import type { PathSegment } from '../valueTree';
import type { CheckOptions } from '../checkOptions';

export interface RuleContext {
  text: string;
  project: ProjectModel | null;
  options: CheckOptions;
}

/** `steps[0].condition.query` */
export function pathLabel(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || 'the loop';
}
