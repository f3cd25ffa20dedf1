/**
 * Deterministic keys shared by both runtimes (golden vectors in test/vectors/keys.json).
 * The provider remembers an Idempotency-Key for 24 h; deriving it from (loop, step, user, cycle) means a
 * retry or a re-run after a crash sends the same key, so the provider de-duplicates.
 */
import { createHash } from 'node:crypto';

const SEPARATOR = '\u001f';
/** Loop ids are slugs (≤ 63 chars); the cap keeps every key ≤ 256 even for hand-written manifests. */
const MAX_LOOP_PART = 64;
const HASH_CHARS = 48;

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `skene:<loop>:<step>:<48 hex of sha256(loop␟step␟user␟cycle)>` — readable, unique, ≤ 128 chars. */
export function idempotencyKey(loopId: string, step: number, userId: string, cycle: string): string {
  const digest = sha256Hex([loopId, String(step), userId, cycle].join(SEPARATOR)).slice(0, HASH_CHARS);
  return `skene:${loopId.slice(0, MAX_LOOP_PART)}:${step}:${digest}`;
}

/**
 * The key of a provider request carrying several ledger rows: derived from its members' keys (in ledger
 * id order), so a resumed batch carries the same key and, rebuilt from stored bodies, the same bytes.
 * A single-row request uses the row's own key.
 */
export function batchKey(loopId: string, memberKeys: readonly string[]): string {
  if (memberKeys.length === 1) return memberKeys[0] as string;
  const digest = sha256Hex(memberKeys.join('\n')).slice(0, HASH_CHARS);
  return `skene:${loopId.slice(0, MAX_LOOP_PART)}:batch:${digest}`;
}

/** The bytes of a batch request: the stored bodies, in ledger id order, as a JSON array. */
export function batchBody(bodies: readonly string[]): string {
  return `[${bodies.join(',')}]`;
}
