import { keepaliveDelay, MAX_RECONNECT_DELAY_MS, reconnectDelay } from '../../src/verto/backoff';

describe('reconnectDelay', () => {
  const middle = () => 0.5; // jitter factor exactly 1

  it('retries at once first, then steps up and doubles to the 30 s cap', () => {
    const schedule = Array.from({ length: 11 }, (_, i) => reconnectDelay(i + 1, middle));
    expect(schedule).toEqual([0, 500, 1000, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('jitters non-zero delays by ±20 % and never exceeds the cap', () => {
    expect(reconnectDelay(2, () => 0)).toBe(400);
    expect(reconnectDelay(2, () => 0.999999)).toBe(600);
    expect(reconnectDelay(1, () => 0.999999)).toBe(0);
    for (let attempt = 1; attempt < 40; attempt++) {
      expect(reconnectDelay(attempt, () => 0.999999)).toBeLessThanOrEqual(MAX_RECONNECT_DELAY_MS);
    }
  });

  it('rejects attempts below 1', () => {
    expect(() => reconnectDelay(0, middle)).toThrow(RangeError);
    expect(() => reconnectDelay(Number.NaN, middle)).toThrow(RangeError);
  });
});

describe('keepaliveDelay', () => {
  it('stays within 40–50 s, under the 60 s proxy idle cut-off', () => {
    expect(keepaliveDelay(() => 0)).toBe(40_000);
    expect(keepaliveDelay(() => 0.999999)).toBe(49_999);
  });
});
