/** The loop and value-tree node under a cursor in skene.config.ts, shared by hovers and completions. */
import type { CheckResult, ParsedLoop } from '../config/checkConfig';
import { nodeAtOffset, type NodeHit } from '../config/nodeAtOffset';
import type { ProjectModel } from '../django/projectModel';
import type { PathSegment } from '../config/valueTree';

/** What the editor features read: one checked version of the config and the project it was checked against. */
export interface ConfigView {
  text: string;
  result: CheckResult;
  project: ProjectModel | null;
  /** Template files that exist (skene/emails/...), when known. */
  existingTemplates?: string[];
  now?: Date;
}

export interface CursorHit extends NodeHit {
  loop: ParsedLoop;
}

export function cursorAt(view: ConfigView, offset: number): CursorHit | null {
  for (const loop of view.result.loops) {
    const hit = nodeAtOffset(loop.tree, offset);
    if (hit) return { ...hit, loop };
  }
  return null;
}

const QUERY_PATHS = ['steps.0.condition.query', 'exit.query'];

export function isQueryPath(path: readonly PathSegment[]): boolean {
  return QUERY_PATHS.includes(path.join('.'));
}

export function isCronPath(path: readonly PathSegment[]): boolean {
  return path.join('.') === 'steps.0.trigger.cron';
}
