/**
 * Did-you-mean ranking for names (keys, tables, columns, fields). Besides plain edit distance it compares
 * against the parts after `_`, because Django tables and columns carry prefixes: `users` should find
 * `accounts_user`, and `name` should find `first_name`.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = current;
  }
  return previous[b.length] ?? Math.max(a.length, b.length);
}

function suffixes(name: string): string[] {
  const parts = name.split('_');
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(i).join('_'));
  return out;
}

/** Lower is closer; the `_`-suffix comparisons cost one extra step so exact full names still win. */
function score(word: string, candidate: string): number {
  const a = word.toLowerCase();
  const b = candidate.toLowerCase();
  let best = editDistance(a, b);
  for (const suffix of suffixes(b)) best = Math.min(best, editDistance(a, suffix) + 1);
  for (const suffix of suffixes(a)) best = Math.min(best, editDistance(suffix, b) + 1);
  return best;
}

/** Candidates close to `word`, best first (ties keep the candidates' order). */
export function didYouMean(word: string, candidates: Iterable<string>, limit = 5): string[] {
  const threshold = Math.max(2, Math.floor(word.length / 3) + 1);
  const scored: Array<{ name: string; score: number; order: number }> = [];
  let order = 0;
  for (const name of new Set(candidates)) {
    if (name === word) continue;
    const value = score(word, name);
    if (value <= threshold) scored.push({ name, score: value, order: order++ });
  }
  scored.sort((x, y) => x.score - y.score || x.order - y.order);
  return scored.slice(0, limit).map((entry) => entry.name);
}
