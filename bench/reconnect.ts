import { pause, WAIT_MS, type BenchClient, type BenchEnv } from './harness';
import { medianOf, metric, type BenchmarkResult } from './result';

export const DOWN_MS = 2_000;
export const RECONNECT_BUDGET_MS = 1_000;

interface ReconnectRun {
  /**
   * ms from the server listening again until the other client received this client's presence: its
   * `ready` broadcast, or, when the other subscribed first, the direct `available` reply to the other's `ready`.
   */
  readonly a: number;
  readonly b: number;
  /** ms from listening until each client's verto.subscribe succeeded (server side). */
  readonly subscribedA: number;
  readonly subscribedB: number;
  /** How each was seen (broadcast or direct reply), a/b. */
  readonly via: string;
}

type Seen = { wall: number; via: string };

/** When and how `observer` first received presence from `from` at or after `since` (wall ms); null if not yet. */
const presenceSeen = (observer: BenchClient, from: string, since: number): Promise<Seen | null> =>
  observer.page.evaluate(
    ([login, t]) => (window as unknown as { __bench: { presence: (Seen & { from: string })[] } }).__bench.presence.find((p) => p.from === login && p.wall >= t) ?? null,
    [from, since] as const,
  );

async function waitPresence(observer: BenchClient, from: BenchClient, since: number): Promise<Seen> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const seen = await presenceSeen(observer, from.login, since);
    if (seen !== null) return seen;
    if (Date.now() > deadline) throw new Error(`${observer.name} saw no presence from ${from.name} within ${WAIT_MS} ms of the restart`);
    await pause(20);
  }
}

/**
 * Benchmark 2: two clients online in a channel; the server stops (sockets closed with 1001), stays
 * down 2 s, and starts again on the same port with the same credentials. Measured per client: from
 * the server listening again until the other client has received its re-published presence (which
 * implies login, clientReady, verto.subscribe and the broadcast all went through).
 */
export async function benchReconnect(env: BenchEnv, runs: number): Promise<BenchmarkResult> {
  const started = Date.now();
  const channel = env.store.createChannel();
  const a = await env.open('Bench Ann', channel);
  const b = await env.open('Bench Bo', channel);
  const results: ReconnectRun[] = [];
  const errors: string[] = [];
  let failed = 0;
  try {
    for (let i = 0; i < runs; i += 1) {
      try {
        await Promise.all([a.waitForPeer(b.name), b.waitForPeer(a.name)]);
        await env.stopServer();
        await pause(DOWN_MS);
        const server = await env.startServer();
        const listening = Date.now();
        const subscribed = new Map<string, number>();
        const onSubscribe = ({ client }: { client: string }): void => {
          for (const c of [a, b]) if (client.includes(c.login) && !subscribed.has(c.login)) subscribed.set(c.login, Date.now());
        };
        server.events.on('subscribe', onSubscribe);
        try {
          const [seenA, seenB] = await Promise.all([waitPresence(b, a, listening), waitPresence(a, b, listening)]);
          results.push({
            a: seenA.wall - listening,
            b: seenB.wall - listening,
            via: `${seenA.via}/${seenB.via}`,
            subscribedA: (subscribed.get(a.login) ?? Number.NaN) - listening,
            subscribedB: (subscribed.get(b.login) ?? Number.NaN) - listening,
          });
        } finally {
          server.events.off('subscribe', onSubscribe);
        }
      } catch (error) {
        failed += 1;
        errors.push(String(error));
        if (!isRunning(env)) await env.startServer().catch(() => undefined);
      }
    }
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  const bothSides = metric('listening → both clients back (presence seen by the other)', 'ms', results.map((r) => Math.max(r.a, r.b)), failed);
  const perClient = metric('listening → one client back (per client)', 'ms', results.flatMap((r) => [r.a, r.b]), failed);
  const median = medianOf(perClient);
  return {
    benchmark: 'reconnect',
    metrics: [
      perClient,
      bothSides,
      metric('listening → verto.subscribe done (server side, per client)', 'ms', results.flatMap((r) => [r.subscribedA, r.subscribedB]), failed),
    ],
    budgets: [
      {
        benchmark: 'reconnect',
        budget: `median ≤ ${RECONNECT_BUDGET_MS} ms (per client, server down ${DOWN_MS} ms)`,
        measured: `${Number.isFinite(median) ? Math.round(median) : 'n/a'} ms (n=${perClient.summary?.n ?? 0}, ${failed} failed)`,
        pass: median <= RECONNECT_BUDGET_MS && failed === 0,
      },
    ],
    notes: [],
    details: { runs: results, errors },
    durationMs: Date.now() - started,
  };
}

function isRunning(env: BenchEnv): boolean {
  try {
    return env.server !== null;
  } catch {
    return false;
  }
}
