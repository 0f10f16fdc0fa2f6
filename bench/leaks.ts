import type { BenchClient, BenchEnv } from './harness';
import { metric, type BenchmarkResult } from './result';

const CALLER = 'Leak Caller';
const CALLEE = 'Leak Callee';
export const HEAP_GROWTH_BUDGET_BYTES = 2 * 1024 * 1024;
/** How long after the UI is idle again the tracks and connections get to be released. */
const RELEASE_MS = 3_000;
const SAMPLE_EVERY = 10;

/** A page's memory after a forced garbage collection (DevTools protocol). */
interface MemorySample {
  readonly heapUsed: number;
  readonly nodes: number;
  readonly listeners: number;
  readonly documents: number;
}

async function measure(client: BenchClient): Promise<MemorySample> {
  const cdp = await client.cdp();
  // Twice: the first pass can leave objects that only become unreachable through finalizers.
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = await cdp.send('Runtime.getHeapUsage');
  const dom = await cdp.send('Memory.getDOMCounters');
  return { heapUsed: heap.usedSize, nodes: dom.nodes, listeners: dom.jsEventListeners, documents: dom.documents };
}

interface CycleCheck {
  readonly cycle: number;
  readonly ms: number;
  /** Live tracks / open RTCPeerConnections left on either page once the release time passed (should be 0). */
  readonly liveTracks: number;
  readonly openPeerConnections: number;
}

async function cycle(caller: BenchClient, callee: BenchClient): Promise<void> {
  await caller.waitForPeer(CALLEE);
  await callee.waitForPeer(CALLER);
  await Promise.all([caller.resetProbe(), callee.resetProbe()]);
  await caller.clickMenu(`Call ${CALLEE}`);
  await callee.waitForIncoming(CALLER);
  await callee.accept();
  await Promise.all([caller, callee].map((c) => c.until((p) => p.firstRemoteFrameAt !== null, 'the first remote video frame')));
  await caller.clickMenu('Hang up');
  await Promise.all([caller.waitForPeer(CALLEE), callee.waitForPeer(CALLER)]);
}

async function check(caller: BenchClient, callee: BenchClient, n: number, ms: number): Promise<CycleCheck> {
  await Promise.all([caller.settlesIdle(RELEASE_MS), callee.settlesIdle(RELEASE_MS)]);
  const counts = await Promise.all([caller, callee].map((c) => c.probe((p) => ({ tracks: p.liveTracks(), pcs: p.openPeerConnections() }))));
  return { cycle: n, ms, liveTracks: counts[0].tracks + counts[1].tracks, openPeerConnections: counts[0].pcs + counts[1].pcs };
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

/**
 * Benchmark 4: one page pair, `cycles` call / hang-up cycles. After each cycle: no live track and no
 * RTCPeerConnection that is not closed on either page. Heap (after forced GC) at idle, after the
 * first cycle, every 10 cycles and at the end; DOM nodes and JS event listeners at idle and at the end.
 */
export async function benchLeaks(env: BenchEnv, cycles: number): Promise<BenchmarkResult> {
  const started = Date.now();
  const channel = env.store.createChannel();
  const caller = await env.open(CALLER, channel);
  const callee = await env.open(CALLEE, channel);
  const checks: CycleCheck[] = [];
  const samples: { cycle: number; caller: MemorySample; callee: MemorySample }[] = [];
  const errors: string[] = [];
  let failed = 0;
  let withoutConsole: { caller: MemorySample; callee: MemorySample } | null = null;
  const sample = async (n: number): Promise<void> => {
    const [a, b] = await Promise.all([measure(caller), measure(callee)]);
    samples.push({ cycle: n, caller: a, callee: b });
  };
  try {
    await Promise.all([caller.waitForPeer(CALLEE), callee.waitForPeer(CALLER)]);
    await sample(0);
    for (let n = 1; n <= cycles; n += 1) {
      const t = Date.now();
      try {
        await cycle(caller, callee);
      } catch (error) {
        failed += 1;
        errors.push(`cycle ${n}: ${String(error)}`);
        if (errors.length >= 5) break; // the pair is stuck: more cycles would only time out
        continue;
      }
      checks.push(await check(caller, callee, n, Date.now() - t));
      if (n === 1 || n % SAMPLE_EVERY === 0 || n === cycles) await sample(n);
    }
    // Diagnosis, after the verdict's sample: how much of the growth is Chromium's console message
    // buffer (the app's console.info/debug lines and their arguments), not the app's own objects.
    if (samples[samples.length - 1]?.cycle === cycles) {
      for (const c of [caller, callee]) await (await c.cdp()).send('Runtime.discardConsoleEntries');
      const [a, b] = await Promise.all([measure(caller), measure(callee)]);
      withoutConsole = { caller: a, callee: b };
    }
  } finally {
    await Promise.all([caller.close(), callee.close()]);
  }

  const idle = samples.find((s) => s.cycle === 0);
  const first = samples.find((s) => s.cycle === 1);
  const last = samples[samples.length - 1];
  const growth = (side: 'caller' | 'callee'): number => (first && last ? last[side].heapUsed - first[side].heapUsed : Number.NaN);
  const domDelta = (side: 'caller' | 'callee', key: 'nodes' | 'listeners'): number => (idle && last ? last[side][key] - idle[side][key] : Number.NaN);
  const dirty = checks.filter((c) => c.liveTracks > 0 || c.openPeerConnections > 0);
  const worstGrowth = Math.max(growth('caller'), growth('callee'));
  const nodeDeltas = [domDelta('caller', 'nodes'), domDelta('callee', 'nodes')];
  const listenerDeltas = [domDelta('caller', 'listeners'), domDelta('callee', 'listeners')];
  const completed = checks.length;
  const budgets = [
    {
      benchmark: 'leaks',
      budget: 'after each cycle: 0 live tracks, 0 RTCPeerConnections not closed',
      measured: `${dirty.length} of ${completed} cycles left some (${failed} cycles failed)`,
      pass: dirty.length === 0 && failed === 0 && completed === cycles,
    },
    {
      benchmark: 'leaks',
      budget: `heap growth over the first cycle < ${mb(HEAP_GROWTH_BUDGET_BYTES)} (each page)`,
      measured: `caller ${mb(growth('caller'))}, callee ${mb(growth('callee'))} after ${last?.cycle ?? 0} cycles`,
      pass: worstGrowth < HEAP_GROWTH_BUDGET_BYTES && last?.cycle === cycles,
    },
    {
      benchmark: 'leaks',
      budget: 'DOM nodes and event listeners back to idle',
      measured: `nodes ${nodeDeltas.map(signed).join(' / ')}, listeners ${listenerDeltas.map(signed).join(' / ')} (caller / callee, vs idle)`,
      pass: [...nodeDeltas, ...listenerDeltas].every((d) => d === 0),
    },
  ];
  return {
    benchmark: 'leaks',
    metrics: [
      metric('call / hang-up cycle (to both idle again)', 'ms', checks.map((c) => c.ms), failed),
      metric('heap growth after the first cycle (per page)', 'MB', [growth('caller'), growth('callee')].map((b) => b / 1024 / 1024)),
    metric(
      'same, console buffer discarded (diagnostic)',
      'MB',
      withoutConsole && first ? [withoutConsole.caller.heapUsed - first.caller.heapUsed, withoutConsole.callee.heapUsed - first.callee.heapUsed].map((b) => b / 1024 / 1024) : [],
    ),
      metric('DOM nodes vs idle after all cycles (per page)', 'count', nodeDeltas),
      metric('JS event listeners vs idle after all cycles (per page)', 'count', listenerDeltas),
    ],
    budgets,
    notes: [`heap used (MB, caller/callee) by cycle: ${samples.map((s) => `${s.cycle}: ${(s.caller.heapUsed / 1048576).toFixed(2)}/${(s.callee.heapUsed / 1048576).toFixed(2)}`).join(', ')}.`],
    details: { samples, withoutConsole, dirtyCycles: dirty, errors, cyclesCompleted: completed },
    durationMs: Date.now() - started,
  };
}

const signed = (n: number): string => (Number.isNaN(n) ? 'n/a' : n > 0 ? `+${n}` : String(n));
