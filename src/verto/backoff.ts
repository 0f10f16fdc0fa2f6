/**
 * Reconnect schedule: the first retry goes at once, then short steps while a restarting server is
 * likely to come back within seconds, then doubling up to a 30 s cap. Each non-zero delay gets
 * ±20 % jitter so a channel's clients don't reconnect in lockstep after a server restart.
 */
const STEPS_MS = [0, 500, 1000, 1000, 2000, 4000, 8000, 16000] as const;
export const MAX_RECONNECT_DELAY_MS = 30_000;
const JITTER = 0.2;

/**
 * Delay before reconnect attempt `attempt` (1 = first retry after a failure). Pure:
 * `random` returns a number in [0, 1), as Math.random does.
 *
 * @example reconnectDelay(1, Math.random) === 0; reconnectDelay(2, () => 0.5) === 500
 */
export function reconnectDelay(attempt: number, random: () => number): number {
  if (!Number.isFinite(attempt) || attempt < 1) throw new RangeError(`attempt must be >= 1, got ${attempt}`);
  const base = attempt <= STEPS_MS.length ? STEPS_MS[attempt - 1] : MAX_RECONNECT_DELAY_MS;
  if (base === 0) return 0;
  const jittered = base * (1 - JITTER + 2 * JITTER * random());
  return Math.round(Math.min(jittered, MAX_RECONNECT_DELAY_MS));
}

/** Keepalive period: a random whole number of ms in [40 s, 50 s), under the 60 s idle cut-off of common proxies. */
export function keepaliveDelay(random: () => number): number {
  return 40_000 + Math.floor(random() * 10_000);
}
