import { FREQUENT_WINDOW_MS, heartbeatDelay, keepaliveDelay, MAX_RECONNECT_DELAY_MS, reconnectDelay } from '../../src/verto/backoff';

/** Attempt times of an outage in which every attempt fails at once (a refused port), until `untilMs`. */
function attemptTimes(untilMs: number, random: () => number): number[] {
  const times: number[] = [];
  let at = 0;
  for (let attempt = 1; at <= untilMs; attempt++) {
    at += reconnectDelay(attempt, at, random);
    times.push(at);
  }
  return times;
}

/** How long after `backAt` the first attempt comes. */
const foundAfter = (times: number[], backAt: number): number => times.find((t) => t >= backAt)! - backAt;

describe('reconnectDelay', () => {
  const middle = () => 0.5; // jitter factor exactly 1

  it('retries at once, then after 250 ms, then about every half second for the first 60 s of an outage', () => {
    expect([1, 2, 3].map((attempt) => reconnectDelay(attempt, 0, middle))).toEqual([0, 250, 500]);
    expect(reconnectDelay(4, 750, middle)).toBe(500);
    expect(reconnectDelay(30, FREQUENT_WINDOW_MS - 1, middle)).toBe(500);
  });

  it('then spaces retries by a quarter of the outage so far, up to the 30 s cap', () => {
    expect(reconnectDelay(130, 70_000, middle)).toBe(17_500);
    expect(reconnectDelay(140, 80_000, middle)).toBe(20_000);
    expect(reconnectDelay(60, 600_000, middle)).toBe(MAX_RECONNECT_DELAY_MS);
  });

  it('finds a server that is back after 4, 5, 10 or 55 s within 0.6 s, whatever the jitter', () => {
    for (const random of [() => 0, middle, () => 0.999999]) {
      const times = attemptTimes(60_000, random);
      expect(foundAfter(times, 4_000)).toBeLessThanOrEqual(600);
      expect(foundAfter(times, 5_000)).toBeLessThanOrEqual(600);
      expect(foundAfter(times, 10_000)).toBeLessThanOrEqual(600);
      expect(foundAfter(times, 55_000)).toBeLessThanOrEqual(600);   // inside a call's 60 s outage limit
    }
  });

  it('makes few attempts in a long outage and waits at most ~25 % (+ jitter) longer than the server was away', () => {
    const times = attemptTimes(600_000, () => 0.999999);
    expect(times.length).toBeLessThan(140); // ~100–120 in the first minute, then a dozen
    for (const backAt of [60_000, 120_000, 300_000]) expect(foundAfter(times, backAt)).toBeLessThanOrEqual(backAt * 0.25 * 1.2);
  });

  it('jitters non-zero delays by ±20 % and never exceeds the cap', () => {
    expect(reconnectDelay(2, 0, () => 0)).toBe(200);
    expect(reconnectDelay(2, 0, () => 0.999999)).toBe(300);
    expect(reconnectDelay(1, 0, () => 0.999999)).toBe(0);
    for (let attempt = 1; attempt < 40; attempt++) {
      expect(reconnectDelay(attempt, attempt * 60_000, () => 0.999999)).toBeLessThanOrEqual(MAX_RECONNECT_DELAY_MS);
    }
  });

  it('rejects attempts below 1 and treats a nonsensical outage as none', () => {
    expect(() => reconnectDelay(0, 0, middle)).toThrow(RangeError);
    expect(() => reconnectDelay(Number.NaN, 0, middle)).toThrow(RangeError);
    expect(reconnectDelay(5, -10, middle)).toBe(500);
    expect(reconnectDelay(5, Number.NaN, middle)).toBe(500);
  });
});

describe('keepaliveDelay', () => {
  it('stays within 40–50 s, under the 60 s proxy idle cut-off', () => {
    expect(keepaliveDelay(() => 0)).toBe(40_000);
    expect(keepaliveDelay(() => 0.999999)).toBe(49_999);
  });
});

describe('heartbeatDelay', () => {
  it('is 4–6 s in a call or while a reply is awaited, 8–10 s when idle, jittered', () => {
    expect([heartbeatDelay(true, () => 0), heartbeatDelay(true, () => 0.999999)]).toEqual([4_000, 5_999]);
    expect([heartbeatDelay(false, () => 0), heartbeatDelay(false, () => 0.999999)]).toEqual([8_000, 9_999]);
    expect(heartbeatDelay(false, () => 0.5)).toBe(9_000);
  });
});
