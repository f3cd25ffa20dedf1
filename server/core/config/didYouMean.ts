/**
 * Did-you-mean ranking for names (keys, tables, columns, fields). Besides plain edit distance it compares
 * against the parts after `_`, because Django tables and columns carry prefixes: `users` should find
 * `accounts_user`, and `name` should find `first_name`.
 */

/** Edit distance counting a swap of two neighbours as one edit (`emial` -> `email`). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((rows[i - 1]?.[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (rows[i - 1]?.[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? Math.max(a.length, b.length);
}

function suffixes(name: string): string[] {
  const parts = name.split('_');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(i).join('_'));
  return out;
}

/** A pair is close when at most a third of the longer name differs (one edit for short names). */
function closeness(a: string, b: string): number | null {
  const distance = editDistance(a, b);
  return distance <= Math.max(1, Math.floor(Math.max(a.length, b.length) / 3)) ? distance : null;
}

/** Lower is closer, null when not close; `_`-suffix matches cost one extra so full-name matches win. */
function score(word: string, candidate: string): number | null {
  const a = word.toLowerCase();
  const b = candidate.toLowerCase();
  const pairs: Array<[string, string, number]> = [[a, b, 0], ...suffixes(b).map((s): [string, string, number] => [a, s, 1]), ...suffixes(a).map((s): [string, string, number] => [s, b, 1])];
  let best: number | null = null;
  for (const [x, y, penalty] of pairs) {
    const distance = closeness(x, y);
    if (distance !== null && (best === null || distance + penalty < best)) best = distance + penalty;
  }
  return best;
}

/** Candidates close to `word`, best first (ties keep the candidates' order). */
export function didYouMean(word: string, candidates: Iterable<string>, limit = 5): string[] {
  const scored: Array<{ name: string; score: number; order: number }> = [];
  let order = 0;
  for (const name of new Set(candidates)) {
    if (name === word) continue;
    const value = score(word, name);
    if (value !== null) scored.push({ name, score: value, order: order++ });
  }
  scored.sort((x, y) => x.score - y.score || x.order - y.order);
  return scored.slice(0, limit).map((entry) => entry.name);
}
