/**
 * Report numbers per (root, loop) for 60 s, so lenses render instantly and never wait on the database: a
 * lookup returns what is cached (or nothing yet) and starts one fetch per root in the background; `onFresh`
 * fires when new numbers (or a new error) arrive so the editor can re-request lenses.
 */
import type { ManifestLoop } from '../../../sdk/manifest';
import type { LoopReport } from './reportTypes';

export const REPORT_TTL_MS = 60_000;

export type CachedReport = { kind: 'ready'; report: LoopReport } | { kind: 'error'; reason: string };

type Fetch = (databaseUrl: string, root: string, loops: ManifestLoop[]) => Promise<LoopReport[]>;

interface Entry {
  value: CachedReport;
  at: number;
}

export class LoopReportCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly fetch: Fetch,
    private readonly describe: (error: unknown) => string,
    private readonly onFresh: () => void,
    private readonly onError: (root: string, reason: string) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Cached values for each loop (undefined: none yet); refreshes stale or missing ones in the background. */
  lookup(databaseUrl: string, root: string, loops: ManifestLoop[]): Array<CachedReport | undefined> {
    const now = this.clock();
    const entries = loops.map((loop) => this.entries.get(keyOf(databaseUrl, root, loop)));
    const stale = loops.filter((_loop, i) => !entries[i] || now - entries[i].at >= REPORT_TTL_MS);
    if (stale.length) this.refresh(databaseUrl, root, stale);
    return entries.map((entry) => entry?.value);
  }

  clear(): void {
    this.entries.clear();
  }

  private refresh(databaseUrl: string, root: string, loops: ManifestLoop[]): void {
    const flight = `${databaseUrl}\0${root}`;
    if (this.inFlight.has(flight)) return;
    this.inFlight.add(flight);
    this.fetch(databaseUrl, root, loops)
      .then((reports) => loops.map((loop, i): CachedReport => ({ kind: 'ready', report: reports[i]! })))
      .catch((error: unknown) => {
        const reason = this.describe(error);
        this.onError(root, reason);
        return loops.map((): CachedReport => ({ kind: 'error', reason }));
      })
      .then((values) => {
        const at = this.clock();
        loops.forEach((loop, i) => this.entries.set(keyOf(databaseUrl, root, loop), { value: values[i]!, at }));
        this.inFlight.delete(flight);
        this.onFresh();
      })
      .catch(() => this.inFlight.delete(flight));
  }
}

/** The loop's definition is part of the key: a changed delay or holdout changes its numbers. */
function keyOf(databaseUrl: string, root: string, loop: ManifestLoop): string {
  return `${databaseUrl}\0${root}\0${JSON.stringify(loop)}`;
}
