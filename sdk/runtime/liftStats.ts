/**
 * Lift of a step over the holdout: the difference of re-engagement proportions (sent − held out) with a
 * 95 % confidence interval by Newcombe's hybrid score method (Newcombe 1998, method 10: Wilson score
 * intervals of each proportion, combined). Unlike the Wald interval it stays inside [−1, 1] and behaves
 * at small counts and at 0 % / 100 %. Pure; Python's lift_stats mirrors it (vectors: test/vectors/report.json).
 */

/** Two-sided 95 %: the 0.975 quantile of the standard normal. */
export const Z_95 = 1.959963984540054;

/** Below these, a difference is reported but not concluded on. */
export const MIN_GROUP = 30;
export const MIN_OUTCOMES = 5;

export type LiftVerdict = 'lift' | 'no_lift' | 'negative' | 'too_small' | 'no_holdout' | 'no_sends';

export interface LiftInput {
  sent: number;
  sentConverted: number;
  held: number;
  heldConverted: number;
}

export interface LiftStats {
  rate: number | null;
  holdoutRate: number | null;
  lift: number | null;
  /** [low, high] of the difference; null when a group is empty. */
  ci: [number, number] | null;
  verdict: LiftVerdict;
}

/** Wilson score interval of x successes in n trials. */
export function wilson(x: number, n: number, z: number = Z_95): [number, number] {
  const p = x / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [centre - half, centre + half];
}

export function newcombeInterval(x1: number, n1: number, x2: number, n2: number): [number, number] {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const [l1, u1] = wilson(x1, n1);
  const [l2, u2] = wilson(x2, n2);
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}

function verdictOf(input: LiftInput, ci: [number, number] | null): LiftVerdict {
  if (input.sent === 0) return 'no_sends';
  if (input.held === 0 || !ci) return 'no_holdout';
  const outcomes = [input.sentConverted, input.sent - input.sentConverted, input.heldConverted, input.held - input.heldConverted];
  if (input.sent < MIN_GROUP || input.held < MIN_GROUP || Math.min(...outcomes) < MIN_OUTCOMES) return 'too_small';
  if (ci[0] > 0) return 'lift';
  if (ci[1] < 0) return 'negative';
  return 'no_lift';
}

export function liftStats(input: LiftInput): LiftStats {
  const rate = input.sent ? input.sentConverted / input.sent : null;
  const holdoutRate = input.held ? input.heldConverted / input.held : null;
  const lift = rate !== null && holdoutRate !== null ? rate - holdoutRate : null;
  const ci = input.sent && input.held ? newcombeInterval(input.sentConverted, input.sent, input.heldConverted, input.held) : null;
  return { rate, holdoutRate, lift, ci, verdict: verdictOf(input, ci) };
}
