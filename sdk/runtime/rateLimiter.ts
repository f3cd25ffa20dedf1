/**
 * Client-side throttle: requests start at least 1/rate seconds apart, so a provider that allows `rate`
 * requests per second (token bucket or rolling window) never answers 429 in a normal run. The rate only
 * goes down: to the provider's `ratelimit-limit`, and a `ratelimit-remaining: 0` (or a 429's retry-after)
 * pauses until the window resets.
 */

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class RateLimiter {
  private nextAt = 0;
  private rate: number;

  constructor(ratePerSecond: number, private readonly clock: Clock = realClock) {
    this.rate = ratePerSecond;
  }

  get ratePerSecond(): number {
    return this.rate;
  }

  /** Resolves when the next request may start. Callers send one request at a time. */
  async acquire(): Promise<void> {
    const wait = this.nextAt - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait);
    this.nextAt = Math.max(this.clock.now(), this.nextAt) + 1000 / this.rate;
  }

  /** Reads ratelimit-limit / ratelimit-remaining / ratelimit-reset (seconds) from a response. */
  observe(headers: Record<string, string | undefined>): void {
    const limit = Number(headers['ratelimit-limit']);
    if (Number.isFinite(limit) && limit > 0 && limit < this.rate) this.rate = limit;
    const remaining = Number(headers['ratelimit-remaining']);
    const reset = Number(headers['ratelimit-reset']);
    if (headers['ratelimit-remaining'] !== undefined && remaining === 0 && Number.isFinite(reset)) this.pauseFor(reset * 1000);
  }

  /** No request before `ms` from now (e.g. a 429's retry-after). */
  pauseFor(ms: number): void {
    this.nextAt = Math.max(this.nextAt, this.clock.now() + ms);
  }
}
