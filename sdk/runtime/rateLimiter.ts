/**
 * Client-side throttle: requests start at least 1/rate seconds apart, so a provider that allows `rate`
 * requests per second (token bucket or rolling window) never answers 429 in a normal run. The rate only
 * goes down: to the provider's `ratelimit-limit`. `ratelimit-remaining: 0` is not waited on (the reset is
 * whole seconds, so waiting it out would halve throughput for nothing: the spacing already keeps us at the
 * limit); when something else shares the key, its 429 carries retry-after, which pauses the limiter.
 */

/**
 * Requests are spaced 2 % wider than 1/rate: timer and network jitter would otherwise make a request land
 * a hair early and find the provider's bucket just short of a token (achieved rate ≈ 0.98 × limit).
 */
export const SPACING_MARGIN = 1.02;

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
    this.nextAt = Math.max(this.clock.now(), this.nextAt) + (1000 / this.rate) * SPACING_MARGIN;
  }

  /** Lowers the rate to a response's `ratelimit-limit` (requests per second). */
  observe(headers: Record<string, string | undefined>): void {
    const limit = Number(headers['ratelimit-limit']);
    if (Number.isFinite(limit) && limit > 0 && limit < this.rate) this.rate = limit;
  }

  /** No request before `ms` from now (e.g. a 429's retry-after). */
  pauseFor(ms: number): void {
    this.nextAt = Math.max(this.nextAt, this.clock.now() + ms);
  }
}
