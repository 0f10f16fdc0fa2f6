import { pause, WAIT_MS, type BenchClient, type BenchEnv } from './harness';
import { RestartFront } from './restart-front';
import { medianOf, metric, type BenchmarkResult, type BudgetCheck, type Metric } from './result';

export const RECONNECT_BUDGET_MS = 1_000;

/**
 * The restarts a production FreeSWITCH goes through. Both drop every socket without a close frame (the
 * page sees 1006): a graceful shutdown does so at once and then takes ~3.5 s to exit before it starts
 * again; a killed process loses its sockets with it and stays down until it is started again. They differ
 * in how long the port stays closed. `share` is each kind's part of BENCH_RUNS (20 → 8, 8, 3 restarts).
 */
export const RESTART_KINDS = [
  { name: 'graceful restart (port closed 4 s)', downMs: 4_000, share: 0.4 },
  { name: 'kill (down 2 s)', downMs: 2_000, share: 0.4 },
  { name: 'kill (down 10 s)', downMs: 10_000, share: 0.15 },
] as const;

type Kind = (typeof RESTART_KINDS)[number];

interface RestartRun {
  /** ms from listening again until the other page received this page's presence (its `ready` broadcast, or the direct `available` reply). */
  readonly presence: readonly [number, number];
  /** ms from listening again until each page's status read `Online`. */
  readonly online: readonly [number, number];
  /** ms from listening again until the first two connections arrived (the share of the backoff schedule). */
  readonly firstAttempts: readonly number[];
  /** Close codes the pages saw between the drop and listening again. */
  readonly closeCodes: readonly number[];
  readonly via: string;
}

type Seen = { wall: number; via: string };

/** When and how `observer` first received presence from `from` at or after `since` (wall ms); null if not yet. */
const presenceSeen = (observer: BenchClient, from: string, since: number): Promise<Seen | null> =>
  observer.probe((p) => p.presence).then((list) => list.find((p) => p.from === from && p.wall >= since) ?? null);

/** Waits (bounded) until `observer` received presence from `from` at or after `since` (wall ms). */
export async function waitPresence(observer: BenchClient, from: BenchClient, since: number): Promise<Seen> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const seen = await presenceSeen(observer, from.login, since);
    if (seen !== null) return seen;
    if (Date.now() > deadline) throw new Error(`${observer.name} saw no presence from ${from.name} within ${WAIT_MS} ms`);
    await pause(20);
  }
}

async function onlineSince(page: BenchClient, since: number): Promise<number> {
  await page.until((p, t) => p.statusLog.some((s) => s.text === 'Online' && s.wall >= t), 'status Online after the restart', WAIT_MS, since);
  const log = await page.probe((p) => p.statusLog);
  return (log.find((s) => s.text === 'Online' && s.wall >= since)?.wall ?? Number.NaN) - since;
}

const closesBetween = (page: BenchClient, from: number, to: number): Promise<number[]> =>
  page.probe((p) => p.closes).then((list) => list.filter((c) => c.wall >= from && c.wall <= to).map((c) => c.code));

/** One restart of `kind`: drop, keep the port closed `downMs`, restart the server behind it, listen again, measure. */
async function restartOnce(env: BenchEnv, front: RestartFront, kind: Kind, a: BenchClient, b: BenchClient): Promise<RestartRun> {
  await Promise.all([a.waitForPeer(b.name), b.waitForPeer(a.name)]);
  const dropped = Date.now();
  await front.drop();
  // A real restart forgets every session: so does the development server behind the front.
  await env.stopServer();
  await env.startServer();
  await pause(Math.max(0, kind.downMs - (Date.now() - dropped)));
  await front.listen();
  const listening = Date.now();
  const [seenA, seenB] = await Promise.all([waitPresence(b, a, listening), waitPresence(a, b, listening)]);
  const online = await Promise.all([onlineSince(a, listening), onlineSince(b, listening)]);
  const closeCodes = (await Promise.all([closesBetween(a, dropped, listening), closesBetween(b, dropped, listening)])).flat();
  return {
    presence: [seenA.wall - listening, seenB.wall - listening],
    online: [online[0], online[1]],
    firstAttempts: front.accepted.slice(0, 2).map((t) => t - listening),
    closeCodes,
    via: `${seenA.via}/${seenB.via}`,
  };
}

const restartsOf = (kind: Kind, runs: number): number => Math.max(1, Math.round(runs * kind.share));

/**
 * Benchmark 2: two pages online in a channel, opened through a front that goes down like FreeSWITCH
 * (sockets dropped, port closed), for each kind of restart. Measured from listening again until each
 * page's presence reached the other (login, clientReady, subscribe and publish all went through), and
 * until each page showed `Online`.
 */
export async function benchReconnect(env: BenchEnv, runs: number): Promise<BenchmarkResult> {
  const started = Date.now();
  const front = new RestartFront(() => env.serverOrNull?.port);
  await front.listen();
  const channel = env.store.createChannel();
  const a = await env.open('Bench Ann', channel, front);
  const b = await env.open('Bench Bo', channel, front);
  const metrics: Metric[] = [];
  const budgets: BudgetCheck[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  try {
    for (const kind of RESTART_KINDS) {
      const results: RestartRun[] = [];
      const errors: string[] = [];
      const count = restartsOf(kind, runs);
      for (let i = 0; i < count; i += 1) {
        try {
          results.push(await restartOnce(env, front, kind, a, b));
        } catch (error) {
          errors.push(String(error));
          // Back to a known state for the next run: server and front up.
          if (env.serverOrNull === null) await env.startServer().catch(() => undefined);
          await front.listen().catch(() => undefined);
        }
      }
      const failed = errors.length;
      const perClient = metric(`${kind.name}: listening → presence seen by the other (per page)`, 'ms', results.flatMap((r) => r.presence), failed);
      metrics.push(
        perClient,
        metric(`${kind.name}: listening → both pages back`, 'ms', results.map((r) => Math.max(...r.presence)), failed),
        metric(`${kind.name}: listening → status "Online" (per page)`, 'ms', results.flatMap((r) => r.online), failed),
        metric(`${kind.name}: listening → first reconnect attempts arrive (first two)`, 'ms', results.flatMap((r) => r.firstAttempts), failed),
      );
      const median = medianOf(perClient);
      budgets.push({
        benchmark: 'reconnect',
        budget: `${kind.name}: median ≤ ${RECONNECT_BUDGET_MS} ms (presence seen by the other, per page)`,
        measured: `${Number.isFinite(median) ? Math.round(median) : 'n/a'} ms (n=${perClient.summary?.n ?? 0} from ${results.length} restarts, ${failed} failed)`,
        pass: median <= RECONNECT_BUDGET_MS && failed === 0,
      });
      const codes = [...new Set(results.flatMap((r) => r.closeCodes))].sort();
      notes.push(`${kind.name}: ${count} restarts; close codes the pages saw: ${codes.join(', ') || 'none'}.`);
      details[kind.name] = { runs: results, errors };
    }
  } finally {
    await Promise.all([a.close(), b.close()]);
    await front.drop();
  }
  return { benchmark: 'reconnect', metrics, budgets, notes, details, durationMs: Date.now() - started };
}
