/**
 * The global frequency cap: at most `perDay` Skene emails per user in any 24 h and `perWeek` in any 7 days,
 * counted across every loop from the ledger (rows pending or sent) inside the claim's transaction. Pure;
 * Python mirrors it (vectors: test/vectors/caps.json). 0 means no limit for that window.
 */

export interface GlobalCap {
  perDay: number;
  perWeek: number;
}

const DAY_MS = 86_400_000;
const WINDOWS: Array<[keyof GlobalCap, number]> = [['perDay', DAY_MS], ['perWeek', 7 * DAY_MS]];

/**
 * null when one more email fits; otherwise the earliest instant (ms) at which it would: when the
 * max-th most recent email of each full window has left it.
 */
export function capDeferral(recentSendsMs: readonly number[], cap: GlobalCap, nowMs: number): number | null {
  const newestFirst = [...recentSendsMs].sort((a, b) => b - a);
  let notBefore: number | null = null;
  for (const [key, windowMs] of WINDOWS) {
    const max = cap[key];
    if (max <= 0) continue;
    const inWindow = newestFirst.filter((at) => at > nowMs - windowMs);
    const blocking = inWindow[max - 1];
    if (blocking === undefined) continue;
    const freeAt = blocking + windowMs;
    notBefore = notBefore === null ? freeAt : Math.max(notBefore, freeAt);
  }
  return notBefore;
}
