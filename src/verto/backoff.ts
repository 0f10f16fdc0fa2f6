/**
 * Reconnect schedule. A restarting server (FreeSWITCH drops every socket at once and takes a few
 * seconds to exit and listen again) is usually back within seconds, and a call rides out an outage
 * of up to 60 s only if signalling returns in time for its ICE restart, so for the first 60 s of an
 * outage retries stay about half a second apart: a server that returns is found within ~0.6 s, and
 * with login, clientReady and subscribe presence is back within about 1 s (bench/README.md). (When
 * the network itself is gone each attempt also waits out the connect timeout, src/verto/client.ts.) After
 * that the gap grows with the outage (a quarter of it so far), up to a 30 s cap, so a long outage
 * costs few attempts and a returning server waits at most ~25 % longer than it was away. Each
 * non-zero delay gets ±20 % jitter so a channel's clients don't reconnect in lockstep.
 */
export const FREQUENT_WINDOW_MS = 60_000;
/** The first retries come sooner: a lone dropped socket usually reconnects on the first or second try. */
const FIRST_STEPS_MS = [0, 250, 500] as const;
// A refused connection costs the server almost nothing; 120 tries in 60 s per client is cheap.
const FREQUENT_MS = 500;
const GROWTH = 0.25;
export const MAX_RECONNECT_DELAY_MS = 30_000;
const JITTER = 0.2;

/**
 * Delay before reconnect attempt `attempt` (1 = first retry after a failure), `outageMs` after the
 * connection was lost. Pure: `random` returns a number in [0, 1), as Math.random does.
 *
 * @example reconnectDelay(1, 0, Math.random) === 0; reconnectDelay(2, 10, () => 0.5) === 250
 */
export function reconnectDelay(attempt: number, outageMs: number, random: () => number): number {
  if (!Number.isFinite(attempt) || attempt < 1) throw new RangeError(`attempt must be >= 1, got ${attempt}`);
  const outage = Number.isFinite(outageMs) ? Math.max(0, outageMs) : 0;
  const base =
    attempt <= FIRST_STEPS_MS.length ? FIRST_STEPS_MS[attempt - 1]
    : outage < FREQUENT_WINDOW_MS ? FREQUENT_MS
    : Math.min(MAX_RECONNECT_DELAY_MS, Math.max(FREQUENT_MS, outage * GROWTH));
  if (base === 0) return 0;
  const jittered = base * (1 - JITTER + 2 * JITTER * random());
  return Math.round(Math.min(jittered, MAX_RECONNECT_DELAY_MS));
}

/** Keepalive period: a random whole number of ms in [40 s, 50 s), under the 60 s idle cut-off of common proxies. */
export function keepaliveDelay(random: () => number): number {
  return 40_000 + Math.floor(random() * 10_000);
}

/**
 * Socket heartbeat: how long without any inbound frame before the client pings. In a call, or while
 * a peer message waits for the server's reply, a dead socket must show within seconds (the other side
 * is waiting on our signals): 4–6 s. Idle, 8–10 s, so that with the ping's own time limit
 * (src/verto/client.ts DEFAULT_TIMINGS) the page stops saying "Online" within ~13 s of a cut; a ping
 * is one small frame each way, cheap at that rate. Jitter spreads a channel's pings apart.
 */
export const HEARTBEAT_ACTIVE_MS = [4_000, 6_000] as const;
export const HEARTBEAT_IDLE_MS = [8_000, 10_000] as const;

/** A random whole number of ms in the heartbeat range for the situation (`active`: in a call or awaiting a reply). */
export function heartbeatDelay(active: boolean, random: () => number): number {
  const [low, high] = active ? HEARTBEAT_ACTIVE_MS : HEARTBEAT_IDLE_MS;
  return low + Math.floor(random() * (high - low));
}
