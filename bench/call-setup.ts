import type { BrowserContext } from 'playwright-core';
import { floorCall, type FloorTimes } from './floor';
import { blankPageOnOrigin, WAIT_MS, type BenchClient, type BenchEnv } from './harness';
import { medianOf, metric, type BenchmarkResult } from './result';

const CALLER = 'Bench Caller';
const CALLEE = 'Bench Callee';
export const RATIO_BUDGET = 1.3;

/** One call through the app: ms from the callee's Accept click to each side's first remote frame. */
interface OursRun {
  readonly caller: number;
  readonly callee: number;
  /** Requests each side sent from the Call click until both first frames, by kind. */
  readonly sent: Record<string, number>;
  /** verto.info messages the server relayed in that window. */
  readonly relayed: number;
}

const both = (t: { caller: number; callee: number }): number => Math.max(t.caller, t.callee);

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [kind, n] of Object.entries(from)) into[kind] = (into[kind] ?? 0) + n;
}

/** Caller calls, callee accepts, both see each other's video; the caller hangs up and both are idle again. */
async function oursCall(env: BenchEnv, caller: BenchClient, callee: BenchClient): Promise<OursRun> {
  await caller.waitForPeer(CALLEE);
  await callee.waitForPeer(CALLER);
  await Promise.all([caller.resetProbe(), callee.resetProbe()]);
  let relayed = 0;
  const onRelayed = (): void => void (relayed += 1);
  const events = env.server.events;
  events.on('relayed', onRelayed);
  try {
    await caller.clickMenu(`Call ${CALLEE}`);
    await callee.waitForIncoming(CALLER);
    await callee.accept();
    await Promise.all([caller, callee].map((c) => c.until((p) => p.firstRemoteFrameAt !== null, 'the first remote video frame')));
  } finally {
    events.off('relayed', onRelayed);
  }
  const [acceptAt, callerFrame, calleeFrame, callerSent, calleeSent] = await Promise.all([
    callee.probe((p) => p.acceptClickAt),
    caller.probe((p) => p.firstRemoteFrameAt),
    callee.probe((p) => p.firstRemoteFrameAt),
    caller.probe((p) => ({ ...p.sent })),
    callee.probe((p) => ({ ...p.sent })),
  ]);
  if (acceptAt === null || callerFrame === null || calleeFrame === null) throw new Error('probe lost a timestamp');
  const sent: Record<string, number> = {};
  addCounts(sent, callerSent);
  addCounts(sent, calleeSent);
  await caller.clickMenu('Hang up');
  await Promise.all([caller.waitForPeer(CALLEE), callee.waitForPeer(CALLER)]);
  return { caller: callerFrame - acceptAt, callee: calleeFrame - acceptAt, sent, relayed };
}

async function floorRun(env: BenchEnv, context: BrowserContext): Promise<FloorTimes> {
  const page = await blankPageOnOrigin(env, context);
  try {
    return await page.evaluate(floorCall, WAIT_MS);
  } finally {
    await page.close();
  }
}

/**
 * Benchmark 1: Accept click → first decoded remote frame on each side, interleaved run by run with
 * the one-page floor so both see the same machine load. One unmeasured warm-up pair first.
 */
export async function benchCallSetup(env: BenchEnv, runs: number): Promise<BenchmarkResult> {
  const started = Date.now();
  const channel = env.store.createChannel();
  const caller = await env.open(CALLER, channel);
  const callee = await env.open(CALLEE, channel);
  const floorContext = await env.browser.newContext();
  const ours: OursRun[] = [];
  const floors: FloorTimes[] = [];
  const ratios: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  try {
    await oursCall(env, caller, callee); // warm-up: codecs, first getUserMedia of the process
    await floorRun(env, floorContext);
    for (let i = 0; i < runs; i += 1) {
      try {
        const o = await oursCall(env, caller, callee);
        const f = await floorRun(env, floorContext);
        ours.push(o);
        floors.push(f);
        ratios.push(both(o) / both(f));
      } catch (error) {
        failed += 1;
        errors.push(String(error));
        await Promise.all([caller.reload(), callee.reload()]);
      }
    }
  } finally {
    await Promise.all([caller.close(), callee.close(), floorContext.close()]);
  }

  // Messages per call: the median count of each kind over the runs (kinds missing in a run count 0).
  const kinds = [...new Set(ours.flatMap((o) => Object.keys(o.sent)))].sort();
  const perKind: Record<string, number> = {};
  for (const kind of kinds) {
    const m = metric(kind, 'msgs', ours.map((o) => o.sent[kind] ?? 0));
    perKind[kind] = medianOf(m);
  }
  const peerMessages = ours.map((o) => Object.entries(o.sent).filter(([k]) => k.startsWith('verto.info:')).reduce((n, [, v]) => n + v, 0));
  const ratio = metric('ratio ours / floor (both sides)', 'x', ratios, failed);
  const metrics = [
    metric('ours: Accept → both sides first remote frame', 'ms', ours.map(both), failed),
    metric('ours: Accept → caller first remote frame', 'ms', ours.map((o) => o.caller), failed),
    metric('ours: Accept → callee first remote frame', 'ms', ours.map((o) => o.callee), failed),
    metric('floor: t0 → both sides first remote frame', 'ms', floors.map(both), failed),
    metric('floor: t0 → caller first remote frame', 'ms', floors.map((f) => f.caller), failed),
    metric('floor: t0 → callee first remote frame', 'ms', floors.map((f) => f.callee), failed),
    ratio,
    metric('peer messages sent per call setup (verto.info)', 'msgs', peerMessages, failed),
    metric('verto.info relayed by the server per call setup', 'msgs', ours.map((o) => o.relayed), failed),
  ];
  const median = medianOf(ratio);
  return {
    benchmark: 'call setup',
    metrics,
    budgets: [
      {
        benchmark: 'call setup',
        budget: `median ratio ours/floor ≤ ${RATIO_BUDGET}`,
        measured: `${Number.isFinite(median) ? median.toFixed(2) : 'n/a'} (n=${ratios.length}, ${failed} failed)`,
        pass: median <= RATIO_BUDGET && failed === 0,
      },
    ],
    notes: [
      `Requests sent per call setup, both sides together, median by kind (from the Call click to both first frames): ${kinds.map((k) => `${k} ${perKind[k]}`).join(', ')}.`,
    ],
    details: { ours, floors, ratios, messagesPerCallMedianByKind: perKind, errors },
    durationMs: Date.now() - started,
  };
}
