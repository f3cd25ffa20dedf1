/**
 * The deterministic holdout (vectors: test/vectors/holdout.json). A user's bucket is the first 32 bits of
 * sha256("skene-holdout" ␟ loop ␟ user) as an unsigned integer; they are held out when
 * bucket < share · 2³². The same user stays in the same group of a loop across runs, runtimes and
 * dormancy cycles, and different loops draw independent groups (the loop id is hashed in).
 */
import { sha256Hex } from './keys';

const TWO_TO_32 = 4294967296;

export function holdoutBucket(loopId: string, userId: string): number {
  return parseInt(sha256Hex(['skene-holdout', loopId, userId].join('\u001f')).slice(0, 8), 16);
}

export function isHeldOut(loopId: string, userId: string, share: number): boolean {
  return share > 0 && holdoutBucket(loopId, userId) < share * TWO_TO_32;
}
