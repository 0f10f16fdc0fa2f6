import type { BrowserContext } from 'playwright-core';
import { silentLogger } from '../server/logger';
import { startServer, type RunningServer } from '../server/server';
import { floorCall, type FloorTimes } from './floor';
import { blankPageOnOrigin, WAIT_MS, type BenchClient, type BenchEnv } from './harness';
import { medianOf, metric, type BenchmarkResult } from './result';

const CALLER = 'Bench Caller';
const CALLEE = 'Bench Callee';
export const RATIO_BUDGET = 1.3;

/** One call through the app: ms from the callee's Accept click to each side's first remote frame. */
export interface OursRun {
  readonly caller: number;
  readonly callee: number;
  /** Requests each side sent from the Call click until both first frames, by kind. */
  readonly sent: Record<string, number>;
  /** verto.info messages the server relayed in that window. */
  readonly relayed: number;
  /** ms after the Accept click: the callee's `accept` sent (its camera acquired), its offer sent, the caller's answer sent. */
  readonly acceptSent: number;
  readonly calleeDescriptionSent: number;
  readonly callerDescriptionSent: number;
  /** Description calls on each page (see BenchProbe.descriptionCalls). */
  readonly callerDescriptionCalls: Record<string, number>;
  readonly calleeDescriptionCalls: Record<string, number>;
}

/** Two pages in one channel of one server. */
export interface Pair {
  readonly caller: BenchClient;
  readonly callee: BenchClient;
  readonly server: RunningServer;
}

const ownOffers = (calls: Record<string, number>): number => Object.entries(calls).filter(([k]) => k.startsWith('setLocalDescription') && k.endsWith('@stable')).reduce((n, [, v]) => n + v, 0);
const collisions = (calls: Record<string, number>): number => calls['setRemoteDescription:offer@have-local-offer'] ?? 0;

const both = (t: { caller: number; callee: number }): number => Math.max(t.caller, t.callee);

function addCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [kind, n] of Object.entries(from)) into[kind] = (into[kind] ?? 0) + n;
}

/** Caller calls, callee accepts, both see each other's video; the caller hangs up and both are idle again. */
export async function oursCall({ caller, callee, server }: Pair): Promise<OursRun> {
  await caller.waitForPeer(CALLEE);
  await callee.waitForPeer(CALLER);
  await Promise.all([caller.resetProbe(), callee.resetProbe()]);
  let relayed = 0;
  const onRelayed = (): void => void (relayed += 1);
  server.events.on('relayed', onRelayed);
  try {
    await caller.clickMenu(`Call ${CALLEE}`);
    await callee.waitForIncoming(CALLER);
    await callee.accept();
    await Promise.all([caller, callee].map((c) => c.until((p) => p.firstRemoteFrameAt !== null, 'the first remote video frame')));
  } finally {
    server.events.off('relayed', onRelayed);
  }
  const [acceptAt, callerSeen, calleeSeen] = await Promise.all([
    callee.probe((p) => p.acceptClickAt),
    caller.probe((p) => ({ frame: p.firstRemoteFrameAt, sent: { ...p.sent }, firstSentAt: { ...p.firstSentAt }, calls: { ...p.descriptionCalls } })),
    callee.probe((p) => ({ frame: p.firstRemoteFrameAt, sent: { ...p.sent }, firstSentAt: { ...p.firstSentAt }, calls: { ...p.descriptionCalls } })),
  ]);
  if (acceptAt === null || callerSeen.frame === null || calleeSeen.frame === null) throw new Error('probe lost a timestamp');
  const sent: Record<string, number> = {};
  addCounts(sent, callerSeen.sent);
  addCounts(sent, calleeSeen.sent);
  const since = (at: number | undefined): number => (at === undefined ? Number.NaN : at - acceptAt);
  await caller.clickMenu('Hang up');
  await Promise.all([caller.waitForPeer(CALLEE), callee.waitForPeer(CALLER)]);
  return {
    caller: callerSeen.frame - acceptAt,
    callee: calleeSeen.frame - acceptAt,
    sent,
    relayed,
    acceptSent: since(calleeSeen.firstSentAt['verto.info:accept']),
    calleeDescriptionSent: since(calleeSeen.firstSentAt['verto.info:description']),
    callerDescriptionSent: since(callerSeen.firstSentAt['verto.info:description']),
    callerDescriptionCalls: callerSeen.calls,
    calleeDescriptionCalls: calleeSeen.calls,
  };
}

export async function openPair(env: BenchEnv, server: RunningServer): Promise<Pair> {
  const channel = server.store.createChannel();
  const caller = await env.open(CALLER, channel, server);
  const callee = await env.open(CALLEE, channel, server);
  return { caller, callee, server };
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
 * the one-page floor so both see the same machine load. One unmeasured warm-up first.
 *
 * A diagnostic series runs alongside: the same call through a second server whose relay hook adds
 * no delay (the main server, like FreeSWITCH's chat hook, takes ~45 ms per peer message), to show
 * how much of the gap to the floor is the relay's.
 */
export async function benchCallSetup(env: BenchEnv, runs: number): Promise<BenchmarkResult> {
  const started = Date.now();
  const fastServer = await startServer({ port: 0, logger: silentLogger, relay: { delayMs: 0 } });
  const main = await openPair(env, env.server);
  const fast = await openPair(env, fastServer);
  const floorContext = await env.browser.newContext();
  const ours: OursRun[] = [];
  const oursFast: OursRun[] = [];
  const floors: FloorTimes[] = [];
  const ratios: number[] = [];
  const fastRatios: number[] = [];
  const errors: string[] = [];
  let failed = 0;
  try {
    // Warm-up: codecs, the process's first getUserMedia.
    await oursCall(main);
    await oursCall(fast);
    await floorRun(env, floorContext);
    for (let i = 0; i < runs; i += 1) {
      try {
        const o = await oursCall(main);
        const q = await oursCall(fast);
        const f = await floorRun(env, floorContext);
        ours.push(o);
        oursFast.push(q);
        floors.push(f);
        ratios.push(both(o) / both(f));
        fastRatios.push(both(q) / both(f));
      } catch (error) {
        failed += 1;
        errors.push(String(error));
        await Promise.all([main.caller.reload(), main.callee.reload(), fast.caller.reload(), fast.callee.reload()]);
      }
    }
  } finally {
    await Promise.all([main.caller.close(), main.callee.close(), fast.caller.close(), fast.callee.close(), floorContext.close()]);
    await fastServer.close();
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
    metric('timeline: Accept → callee sends accept (camera acquired)', 'ms', ours.map((o) => o.acceptSent), failed),
    metric('timeline: Accept → callee sends its first description (offer)', 'ms', ours.map((o) => o.calleeDescriptionSent), failed),
    metric('timeline: Accept → caller sends its first description (answer)', 'ms', ours.map((o) => o.callerDescriptionSent), failed),
    metric('timeline: caller answers after the offer was sent (incl. 1 relay hop)', 'ms', ours.map((o) => o.callerDescriptionSent - o.calleeDescriptionSent), failed),
    metric('diagnostic, relay without delay: Accept → both first frames', 'ms', oursFast.map(both), failed),
    metric('diagnostic, relay without delay: ratio to floor', 'x', fastRatios, failed),
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
      `Caller's own offers (setLocalDescription in stable) per call, median ${medianOf(metric('', 'count', ours.map((o) => ownOffers(o.callerDescriptionCalls))))}; ` +
        `collisions (caller's setRemoteDescription(offer) while have-local-offer) in ${ours.filter((o) => collisions(o.callerDescriptionCalls) > 0).length} of ${ours.length} calls.`,
      `Requests sent per call setup, both sides together, median by kind (from the Call click to both first frames): ${kinds.map((k) => `${k} ${perKind[k]}`).join(', ')}.`,
    ],
    details: { ours, oursWithoutRelayDelay: oursFast, floors, ratios, ratiosWithoutRelayDelay: fastRatios, messagesPerCallMedianByKind: perKind, errors },
    durationMs: Date.now() - started,
  };
}
