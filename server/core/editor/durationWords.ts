/** '10m' -> '10 minutes'; '36h' -> '36 hours (1.5 days)', for hovers over durations. */
import { parseDuration } from '../../../sdk/duration';

const UNIT_WORDS: Record<string, string> = { s: 'second', m: 'minute', h: 'hour', d: 'day', w: 'week' };
const UNIT_MS: Array<[string, number]> = [['week', 604_800_000], ['day', 86_400_000], ['hour', 3_600_000], ['minute', 60_000]];

export function durationWords(text: string): string | null {
  const ms = parseDuration(text);
  const match = /^(\d+)([smhdw])$/.exec(text);
  if (ms === null || !match) return null;
  const amount = Number(match[1]);
  const words = plural(amount, UNIT_WORDS[match[2] ?? 's'] ?? 'second');
  // Also say it in a bigger unit when that reads better (90m -> 1.5 hours).
  const bigger = UNIT_MS.find(([, size]) => ms >= size && size > unitMs(match[2] ?? 's'));
  if (!bigger) return words;
  const value = Math.round((ms / bigger[1]) * 100) / 100;
  return `${words} (${plural(value, bigger[0])})`;
}

function unitMs(unit: string): number {
  return parseDuration(`1${unit}`) ?? 1000;
}

function plural(amount: number, word: string): string {
  return `${amount} ${word}${amount === 1 ? '' : 's'}`;
}
