/**
 * The TypeScript runtime's check of a condition before a run: the same gate the checker and `skene init`
 * use (conditionGate.ts), run on the text the runtime is about to execute. The Python runtime does not
 * parse SQL: it runs only text whose sha256 matches the seal `skene init` wrote (conditionSeal.ts).
 */
import { conditionProblems, loadConditionParser } from './conditionSeal';
import type { GateCode } from './conditionGate';

export type GuardCode = GateCode;

export interface GuardVerdict {
  accepted: boolean;
  code: GuardCode | null;
  message: string;
}

export async function checkCondition(query: string): Promise<GuardVerdict> {
  await loadConditionParser();
  const first = conditionProblems(query)[0];
  if (first) return { accepted: false, code: first.code, message: first.message };
  return { accepted: true, code: null, message: 'one read-only SELECT' };
}
