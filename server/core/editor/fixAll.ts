/** "Fix all Skene problems": the first (best) fix of every issue, without edits that overlap an earlier one. */
import type { Issue, TextEdit } from '../config/issue';
import type { Position } from '../config/textIndex';

/** Positions as one comparable number (lines are far shorter than 10^7 characters). */
const key = (p: Position) => p.line * 1e7 + p.character;

export function fixAllEdits(issues: Issue[]): TextEdit[] {
  const chosen: TextEdit[] = [];
  for (const issue of issues) {
    const fix = issue.data?.fixes?.[0];
    if (!fix) continue;
    if (!fix.edits.some((edit) => chosen.some((other) => overlap(edit, other)))) chosen.push(...fix.edits);
  }
  return chosen.sort((a, b) => key(a.range.start) - key(b.range.start));
}

/** Two edits conflict when their ranges intersect, when both insert at one point, or one inserts inside the other. */
function overlap(a: TextEdit, b: TextEdit): boolean {
  const [as, ae, bs, be] = [key(a.range.start), key(a.range.end), key(b.range.start), key(b.range.end)];
  if (as === ae && bs === be) return as === bs;
  if (as === ae) return bs < as && as < be;
  if (bs === be) return as < bs && bs < ae;
  return as < be && bs < ae;
}
