import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter, type Clock } from '../../../sdk/runtime/rateLimiter';

function fakeClock(): Clock & { t: number } {
  const clock = { t: 0, now: () => clock.t, sleep: async (ms: number) => void (clock.t += ms) };
  return clock;
}

test('the limiter spaces requests by 1/rate and only ever lowers the rate (same sequence as the Python test)', async () => {
  const clock = fakeClock();
  const limiter = new RateLimiter(10, clock);
  const starts: number[] = [];
  const take = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await limiter.acquire();
      starts.push(Math.round(clock.t));
    }
  };
  await take(3);
  limiter.observe({ 'ratelimit-limit': '2', 'ratelimit-remaining': '1', 'ratelimit-reset': '1' });
  await take(2);
  limiter.observe({ 'ratelimit-limit': '2', 'ratelimit-remaining': '0', 'ratelimit-reset': '3' });
  await take(1);
  limiter.observe({ 'ratelimit-limit': '50' });
  assert.deepEqual({ starts, rate: limiter.ratePerSecond }, { starts: [0, 100, 200, 300, 800, 3800], rate: 2 });
});
