import { startServer } from '../server/server';
import { silentLogger } from '../server/logger';
import { coturnAddress, startCoturn } from '../e2e/support/coturn';
import { RATIO_BUDGET, oursCall, openPair, type OursRun } from './call-setup';
import type { BenchEnv } from './harness';
import { medianOf, metric, type BenchmarkResult } from './result';

const both = (o: OursRun): number => Math.max(o.caller, o.callee);

/**
 * TURN-only call setup: Accept click → both first remote frames through Debian's coturn on 127.0.0.1
 * (deploy/coturn/turnserver.conf plus loopback peers), pages with `iceTransportPolicy: 'relay'` and
 * credentials minted per page, against the direct call on the main server, run by run in the same
 * process (same machine load). One unmeasured warm-up of each first.
 */
export async function benchTurnSetup(env: BenchEnv, runs: number): Promise<BenchmarkResult> {
  const started = Date.now();
  const address = coturnAddress();
  const coturn = await startCoturn(address);
  const relayServer = await startServer({
    port: 0,
    logger: silentLogger,
    ice: { turn: { secret: address.secret, urls: [address.url] }, iceTransportPolicy: 'relay' },
  }).catch(async (error: unknown) => {
    await coturn.stop();
    throw error;
  });
  const direct = await openPair(env, env.server);
  const relay = await openPair(env, relayServer);
  const directRuns: OursRun[] = [];
  const relayRuns: OursRun[] = [];
  const ratios: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  try {
    await oursCall(direct);
    await oursCall(relay);
    for (let i = 0; i < runs; i += 1) {
      try {
        const d = await oursCall(direct);
        const r = await oursCall(relay);
        directRuns.push(d);
        relayRuns.push(r);
        ratios.push(both(r) / both(d));
      } catch (error) {
        failed += 1;
        errors.push(String(error));
        await Promise.all([direct.caller.reload(), direct.callee.reload(), relay.caller.reload(), relay.callee.reload()]);
      }
    }
  } finally {
    await Promise.all([direct.caller.close(), direct.callee.close(), relay.caller.close(), relay.callee.close()]);
    await relayServer.close();
    await coturn.stop();
  }
  const ratio = metric('ratio relay / direct (both sides, run by run)', 'x', ratios, failed);
  const median = medianOf(ratio);
  const relayMetric = metric('relay only (coturn): Accept → both sides first remote frame', 'ms', relayRuns.map(both), failed);
  const directMetric = metric('direct: Accept → both sides first remote frame', 'ms', directRuns.map(both), failed);
  // Allocations coturn granted: two per relay call (one per page) shows the media really went through it.
  const allocations = coturn.log.filter((line) => /ALLOCATE processed, success/.test(line)).length;
  return {
    benchmark: 'TURN call setup',
    metrics: [
      relayMetric,
      directMetric,
      ratio,
      metric('relay only: Accept → caller first remote frame', 'ms', relayRuns.map((o) => o.caller), failed),
      metric('relay only: Accept → callee first remote frame', 'ms', relayRuns.map((o) => o.callee), failed),
    ],
    budgets: [
      {
        benchmark: 'TURN call setup',
        budget: `median ratio relay/direct ≤ ${RATIO_BUDGET}`,
        measured: `${Number.isFinite(median) ? median.toFixed(2) : 'n/a'} (n=${ratios.length}, ${failed} failed)`,
        pass: median <= RATIO_BUDGET && failed === 0,
      },
    ],
    notes: [
      `Medians: relay ${medianOf(relayMetric).toFixed(0)} ms, direct ${medianOf(directMetric).toFixed(0)} ms; coturn granted ${allocations} allocations for ${relayRuns.length + 1} relay calls (warm-up included).`,
    ],
    details: { relay: relayRuns, direct: directRuns, ratios, allocations, errors },
    durationMs: Date.now() - started,
  };
}
