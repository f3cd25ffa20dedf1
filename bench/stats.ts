/** Latency summary shared by the benchmarks: nearest-rank percentiles of millisecond samples. */
export interface Stats {
  n: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

export function stats(samples: number[], decimals = 2): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Number((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(decimals));
  return { n: samples.length, medianMs: at(0.5), p95Ms: at(0.95), maxMs: at(1) };
}
