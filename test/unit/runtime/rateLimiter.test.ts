import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter, type Clock } from '../../../sdk/runtime/rateLimiter';

function fakeClock(): Clock & { t: number } {
  const clock = { t: 0, now: () => clock.t, sleep: (ms: number) => {
    clock.t += ms;
    return Promise.resolve();
  } };
  return clock;
}

test('the limiter spaces requests by 1/rate (+2 %), lowers the rate from ratelimit-limit only, pauses for retry-after (same sequence as the Python test)', async () => {
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
  limiter.pauseFor(3000); // a 429's retry-after
  await take(1);
  limiter.observe({ 'ratelimit-limit': '50' });
  assert.deepEqual({ starts, rate: limiter.ratePerSecond }, { starts: [0, 102, 204, 306, 816, 3816], rate: 2 });
});
