import type { BenchProbe } from './probe';
import type { BenchEnv } from './harness';
import { metric, type BenchmarkResult } from './result';

const HOST = 'Bench Host';

interface OnlineRun {
  /** ms after the visitor's navigation start. */
  readonly loaded: number;
  readonly online: number;
  readonly seesHost: number;
  readonly seenByHost: number;
}

/**
 * Benchmark 5: a host page is online in the channel; each run opens a visitor in a fresh browser
 * context (empty HTTP cache: a cold load of page, CSS and bundle from the local server) and measures,
 * from the visitor's navigation start: load event, status `Online`, the host callable in the
 * visitor's menu, and the visitor callable in the host's menu. The run's value is the last of these
 * (online with presence visible both ways). Baseline in the same run: the load event.
 */
export async function benchTimeToOnline(env: BenchEnv, runs: number): Promise<BenchmarkResult> {
  const started = Date.now();
  const channel = env.store.createChannel();
  const host = await env.open(HOST, channel);
  const results: OnlineRun[] = [];
  const errors: string[] = [];
  let failed = 0;
  try {
    for (let i = 0; i < runs; i += 1) {
      const name = `Visitor ${i + 1}`;
      try {
        const visitor = await env.open(name, channel);
        try {
          await visitor.until((p: BenchProbe) => p.onlineAt !== null && Object.keys(p.peersSeenAt).length > 0, 'online with the host in the menu');
          await host.until((p: BenchProbe, visitorName: string) => visitorName in p.peersSeenAt, `"Call ${name}"`, undefined, name);
          const origin = await visitor.page.evaluate(() => performance.timeOrigin);
          const [v, seenByHost] = await Promise.all([
            visitor.page.evaluate((hostName) => {
              const probe = (window as unknown as { __bench: BenchProbe }).__bench;
              const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
              return { loaded: nav?.loadEventEnd ?? Number.NaN, online: probe.onlineAt, seesHost: probe.peersSeenAt[hostName] ?? null };
            }, HOST),
            host.page.evaluate((visitorName) => (window as unknown as { __bench: BenchProbe }).__bench.peersSeenAt[visitorName] ?? null, name),
          ]);
          if (v.online === null || v.seesHost === null || seenByHost === null) throw new Error('probe lost a timestamp');
          results.push({ loaded: v.loaded, online: v.online - origin, seesHost: v.seesHost - origin, seenByHost: seenByHost - origin });
        } finally {
          await visitor.close();
        }
      } catch (error) {
        failed += 1;
        errors.push(String(error));
      }
    }
  } finally {
    await host.close();
  }
  const total = results.map((r) => Math.max(r.online, r.seesHost, r.seenByHost));
  return {
    benchmark: 'time to online',
    metrics: [
      metric('navigation → online, presence seen both ways', 'ms', total, failed),
      metric('navigation → status "Online"', 'ms', results.map((r) => r.online), failed),
      metric('navigation → visitor sees host', 'ms', results.map((r) => r.seesHost), failed),
      metric('navigation → host sees visitor', 'ms', results.map((r) => r.seenByHost), failed),
      metric('baseline: navigation → load event', 'ms', results.map((r) => r.loaded), failed),
      metric('ratio online-both-ways / load event', 'x', results.map((r, i) => total[i] / r.loaded), failed),
    ],
    budgets: [],
    notes: [],
    details: { runs: results, errors },
    durationMs: Date.now() - started,
  };
}
