import { openPair, type Pair } from './call-setup';
import { pause, WAIT_MS, type BenchClient, type BenchEnv } from './harness';
import { formatTimeline, PageTimeline } from './fault-timeline';
import { clearFaults, faultName, withFault, type Fault } from './nft-fault';
import { waitPresence } from './reconnect';
import { medianOf, metric, type BenchmarkResult, type BudgetCheck, type Metric } from './result';

/** Status samples are taken this often (ms), on both pages, for the whole fault and its aftermath. */
const SAMPLE_MS = 250;
/** A call must survive an outage of up to 60 s, then resume by ICE restart: allow that long for video to come back. */
const RESUME_WAIT_MS = 30_000;

/**
 * The scenarios, with fixed counts (BENCH_RUNS does not apply): every fault lasts its time, so these
 * keep the faults benchmark under about four minutes.
 */
export const SCENARIOS = [
  { key: 'loss', name: 'in a call, 20 % loss for 20 s', where: 'call', fault: { kind: 'loss', percent: 20 }, ms: 20_000, runs: 1 },
  { key: '8s', name: 'in a call, 8 s blackout', where: 'call', fault: { kind: 'blackout' }, ms: 8_000, runs: 2 },
  { key: '45s', name: 'in a call, 45 s blackout', where: 'call', fault: { kind: 'blackout' }, ms: 45_000, runs: 3 },
  { key: 'idle', name: 'idle, 45 s blackout', where: 'idle', fault: { kind: 'blackout' }, ms: 45_000, runs: 3 },
  { key: 'ring', name: 'call placed at the end of a 20 s idle blackout', where: 'call-at-restore', fault: { kind: 'blackout' }, ms: 20_000, runs: 2 },
] as const satisfies readonly { key: string; name: string; where: 'call' | 'idle' | 'call-at-restore'; fault: Fault; ms: number; runs: number }[];

type Scenario = (typeof SCENARIOS)[number];
type Sample = { readonly wall: number; readonly text: string };

interface FaultRun {
  readonly cut: number;
  readonly restore: number;
  /** Per page (caller, callee): distinct #nav-status texts in the order first shown, from the cut until measured. */
  readonly statuses: readonly (readonly string[])[];
  /** Per page: every change of #nav-status, in order. */
  readonly sequence: readonly (readonly string[])[];
  /** Per page: ms from the cut to the first status that is neither "Online" nor "In a call with …" (null: never). */
  readonly cutToStatus: readonly (number | null)[];
  /** Per page, in a call: ms from the picture freezing (last frame before a pause) to that status (null: no freeze or no status). */
  readonly freezeToStatus?: readonly (number | null)[];
  /** Per page, in a call: ms from restore to the first remote frame after it (0: the picture never stopped). */
  readonly videoBack?: readonly number[];
  /** In a call: both pages still say "In a call with …" once video is back. */
  readonly callUp?: boolean;
  /** In a call: remote frames per second during the fault, per page. */
  readonly fpsDuringFault?: readonly number[];
  /** Idle: ms from restore to each page's presence reaching the other. */
  readonly presence?: readonly number[];
  /** Call at restore: ms from restore to the callee's incoming-call dialog. */
  readonly ring?: number;
  /** With BENCH_FAULTS_TIMELINE=1: both pages' events from 3 s before the cut on (bench/fault-timeline.ts). */
  readonly timeline?: readonly string[];
}

/** Debugging aids: BENCH_FAULTS=8s,45s (scenario keys) runs only those, BENCH_FAULTS_RUNS overrides their counts. */
const onlyScenarios = process.env.BENCH_FAULTS?.split(',').map((k) => k.trim());
const runsOverride = process.env.BENCH_FAULTS_RUNS === undefined ? undefined : Number(process.env.BENCH_FAULTS_RUNS);
const wantTimeline = process.env.BENCH_FAULTS_TIMELINE === '1';
/** The timeline ends this long after the later page's video came back (or after the wait for it gave up). */
const TIMELINE_TAIL_MS = 2_000;

/** Both pages' timelines from 3 s before the cut (the call's tracks arrive ~2.3 s before it) to `until`, printed and returned (null: timelines off). */
async function timelineOf(timelines: readonly PageTimeline[] | null, cut: number, restore: number, until: number): Promise<string[] | undefined> {
  if (timelines === null) return undefined;
  const [caller, callee] = await Promise.all(timelines.map((t) => t.read(cut - 3_000, until)));
  const lines = formatTimeline([{ label: 'caller', events: caller }, { label: 'callee', events: callee }], cut, restore);
  process.stdout.write(`[faults] timeline (ms from restore):\n${lines.join('\n')}\n`);
  return lines;
}

/** Samples #nav-status of each page every SAMPLE_MS until stopped (the pipe to the browser is not on lo). */
function sampleStatuses(pages: readonly BenchClient[]): { stop: () => Promise<Sample[][]> } {
  const samples: Sample[][] = pages.map(() => []);
  let running = true;
  const loop = (async () => {
    while (running) {
      const tick = Date.now();
      await Promise.all(
        pages.map(async (page, i) => {
          const text = await page.page.evaluate(() => document.getElementById('nav-status')?.textContent ?? '').catch(() => '(page not readable)');
          samples[i].push({ wall: Date.now(), text });
        }),
      );
      await pause(Math.max(0, SAMPLE_MS - (Date.now() - tick)));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return samples;
    },
  };
}

/** The texts in the order they changed to (a countdown alternates two texts: the full sequence stays in `details`). */
const changes = (samples: readonly Sample[]): string[] => samples.map((s) => s.text).filter((t, i, all) => i === 0 || all[i - 1] !== t);
const distinct = (samples: readonly Sample[]): string[] => [...new Set(changes(samples))];
const isNormal = (text: string): boolean => text === 'Online' || text.startsWith('In a call with ');
/**
 * The first sample from `since` on that is neither "Online" nor "In a call with …", nor the text already
 * shown at `since` (a notice left from the run before, such as "X hung up", is not news about the fault).
 */
function firstAbnormalAt(samples: readonly Sample[], since: number): number | null {
  const before = samples.find((s) => s.wall >= since)?.text;
  return samples.find((s) => s.wall >= since && !isNormal(s.text) && s.text !== before)?.wall ?? null;
}
const minus = (a: number | null, b: number): number | null => (a === null ? null : a - b);

async function startCall({ caller, callee }: Pair): Promise<void> {
  await Promise.all([caller.waitForPeer(callee.name), callee.waitForPeer(caller.name)]);
  await Promise.all([caller.resetProbe(), callee.resetProbe()]);
  await caller.clickMenu(`Call ${callee.name}`);
  await callee.waitForIncoming(caller.name);
  await callee.accept();
  await Promise.all([caller, callee].map((c) => c.until((p) => p.firstRemoteFrameAt !== null, 'the first remote video frame')));
}

/** ms from `restore` to the page's first remote frame after it: the end of the pause that spans it, 0 if none did. */
async function videoBackAfter(page: BenchClient, restore: number): Promise<{ back: number; frozenAt: number | null }> {
  await page.until((p, t) => (p.lastRemoteFrameWall ?? 0) >= t, 'remote video advancing after the restore', RESUME_WAIT_MS, restore);
  const gaps = await page.probe((p) => p.remoteFrameGaps);
  const spanning = gaps.find((g) => g.frozenAt < restore && g.resumedAt >= restore);
  return { back: spanning ? spanning.resumedAt - restore : 0, frozenAt: spanning?.frozenAt ?? null };
}

async function callRun(pair: Pair, scenario: Scenario, timelines: readonly PageTimeline[] | null): Promise<FaultRun> {
  const pages = [pair.caller, pair.callee];
  await startCall(pair);
  await pause(2_000); // a steady picture before the cut
  const framesBefore = await Promise.all(pages.map((p) => p.probe((q) => q.remoteFrames)));
  const sampler = sampleStatuses(pages);
  let samples: Sample[][] = [];
  let fault: { cut: number; restore: number } | null = null;
  try {
    const { cut, restore } = (fault = await withFault(scenario.fault, scenario.ms));
    const framesAfter = await Promise.all(pages.map((p) => p.probe((q) => q.remoteFrames)));
    const video = await Promise.all(pages.map((p) => videoBackAfter(p, restore)));
    await pause(1_000); // let the status settle on what the call is now
    samples = await sampler.stop();
    const texts = await Promise.all(pages.map((p) => p.page.evaluate(() => document.getElementById('nav-status')?.textContent ?? '')));
    const run: FaultRun = {
      cut,
      restore,
      statuses: samples.map(distinct),
      sequence: samples.map(changes),
      cutToStatus: samples.map((s) => minus(firstAbnormalAt(s, cut), cut)),
      freezeToStatus: samples.map((s, i) => {
        const frozenAt = video[i].frozenAt;
        return frozenAt === null ? null : minus(firstAbnormalAt(s, frozenAt), frozenAt);
      }),
      videoBack: video.map((v) => v.back),
      callUp: texts.every((t) => t.startsWith('In a call with ')),
      fpsDuringFault: framesAfter.map((n, i) => (n - framesBefore[i]) / ((restore - cut) / 1000)),
      timeline: await timelineOf(timelines, cut, restore, restore + Math.max(...video.map((v) => v.back)) + TIMELINE_TAIL_MS),
    };
    return run;
  } catch (error) {
    return await failedRun(error, fault, timelines, sampler); // awaited: `finally` stops the sampler after it
  } finally {
    if (samples.length === 0) await sampler.stop();
  }
}

/** A run that threw: its timeline (with BENCH_FAULTS_TIMELINE=1) and what each page said, rethrown. */
async function failedRun(error: unknown, fault: { cut: number; restore: number } | null, timelines: readonly PageTimeline[] | null, sampler: { stop: () => Promise<Sample[][]> }): Promise<never> {
  if (fault !== null) await timelineOf(timelines, fault.cut, fault.restore, Date.now()).catch(() => undefined);
  // What the pages said is the best clue to why a run failed (a call that ended, one stuck reconnecting, a peer never seen).
  const said = (await sampler.stop()).map((s) => distinct(s).map((t) => `"${t}"`).join(' → '));
  throw new Error(`${String(error).split('\n')[0]}; status, caller: ${said[0]}; callee: ${said[1]}`, { cause: error });
}

async function idleRun(pair: Pair, scenario: Scenario, timelines: readonly PageTimeline[] | null): Promise<FaultRun> {
  const { caller, callee } = pair;
  await Promise.all([caller.waitForPeer(callee.name), callee.waitForPeer(caller.name)]);
  const sampler = sampleStatuses([caller, callee]);
  let stopped: Sample[][] | null = null;
  let fault: { cut: number; restore: number } | null = null;
  try {
    const { cut, restore } = (fault = await withFault(scenario.fault, scenario.ms));
    let ring: number | undefined;
    let presence: number[] | undefined;
    if (scenario.where === 'call-at-restore') {
      // Placed as soon as the person can: the Call button may be gone while the page knows it is offline.
      await caller.clickMenu(`Call ${callee.name}`);
      await callee.waitForIncoming(caller.name);
      ring = Date.now() - restore;
      await callee.page.locator('#modal-content').getByRole('button', { name: 'Decline', exact: true }).click({ timeout: WAIT_MS });
    } else {
      const seen = await Promise.all([waitPresence(callee, caller, restore), waitPresence(caller, callee, restore)]);
      presence = seen.map((s) => s.wall - restore);
    }
    stopped = await sampler.stop();
    const timeline = await timelineOf(timelines, cut, restore, Date.now());
    return {
      cut,
      restore,
      timeline,
      statuses: stopped.map(distinct),
      sequence: stopped.map(changes),
      cutToStatus: stopped.map((s) => minus(firstAbnormalAt(s, cut), cut)),
      ring,
      presence,
    };
  } catch (error) {
    return await failedRun(error, fault, timelines, sampler); // awaited: `finally` stops the sampler after it
  } finally {
    if (stopped === null) await sampler.stop();
  }
}

/** Back to a known state after a run: no call, both pages online and seeing each other. */
async function settle(pair: Pair): Promise<void> {
  const hangup = pair.caller.page.locator('#nav-menu').getByRole('button', { name: 'Hang up', exact: true });
  if (await hangup.count()) await pair.caller.clickMenu('Hang up');
  await Promise.all([pair.caller.waitForPeer(pair.callee.name), pair.callee.waitForPeer(pair.caller.name)]);
}

const fmtMs = (m: Metric): string => (Number.isFinite(medianOf(m)) ? `${Math.round(medianOf(m))} ms` : 'n/a');
const numbers = (values: readonly (number | null | undefined)[]): number[] => values.filter((v): v is number => typeof v === 'number');

function budget(scenario: string, text: string, m: Metric, limit: number, extra = true): BudgetCheck {
  const median = medianOf(m);
  return {
    benchmark: 'faults',
    budget: `${scenario}: ${text} median ≤ ${limit} ms`,
    measured: `${fmtMs(m)} (n=${m.summary?.n ?? 0}, ${m.failedRuns} failed)`,
    pass: median <= limit && m.failedRuns === 0 && extra,
  };
}

/**
 * Benchmark: faults injected with nftables on `lo` (see nft-fault.ts) into two pages of one channel,
 * in a call or idle. Measured from the restore (the rule deleted): remote video advancing on each
 * page, presence reaching each page, the ring of a call placed at that moment; and what #nav-status
 * said from the cut on.
 */
export async function benchFaults(env: BenchEnv): Promise<BenchmarkResult> {
  const started = Date.now();
  const pair = await openPair(env, env.server);
  const timelines = wantTimeline ? await Promise.all([pair.caller, pair.callee].map((c) => PageTimeline.attach(c))) : null;
  const metrics: Metric[] = [];
  const budgets: BudgetCheck[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {};
  try {
    for (const scenario of SCENARIOS.filter((s) => onlyScenarios === undefined || onlyScenarios.includes(s.key))) {
      const runs: FaultRun[] = [];
      const errors: string[] = [];
      const count = runsOverride ?? scenario.runs;
      for (let i = 0; i < count; i += 1) {
        try {
          runs.push(scenario.where === 'call' ? await callRun(pair, scenario, timelines) : await idleRun(pair, scenario, timelines));
          await settle(pair);
        } catch (error) {
          errors.push(String(error).split('\n')[0]);
          await Promise.all([pair.caller.reload(), pair.callee.reload()]).catch(() => undefined);
        }
      }
      const failed = errors.length;
      const n = scenario.name;
      const cutToStatus = metric(`${n}: cut → status no longer "Online"/"In a call with …" (per page)`, 'ms', numbers(runs.flatMap((r) => r.cutToStatus)), failed);
      if (scenario.where === 'call') {
        const video = metric(`${n}: restore → remote video advancing (slower page)`, 'ms', runs.map((r) => Math.max(...(r.videoBack ?? [Number.NaN]))), failed);
        const freeze = metric(`${n}: picture frozen → status changed (per page)`, 'ms', numbers(runs.flatMap((r) => r.freezeToStatus ?? [])), failed);
        const up = runs.filter((r) => r.callUp === true).length;
        metrics.push(
          video,
          metric(`${n}: restore → remote video advancing (per page)`, 'ms', runs.flatMap((r) => r.videoBack ?? []), failed),
          cutToStatus,
          freeze,
          metric(`${n}: remote frames per second during the fault (per page)`, 'count', runs.flatMap((r) => r.fpsDuringFault ?? []), failed),
          metric(`${n}: call still up afterwards (1 = yes, per run)`, 'count', runs.map((r) => (r.callUp ? 1 : 0)), failed),
        );
        if (scenario.ms === 45_000) budgets.push(budget(n, `call still up (${up}/${count}) and restore → remote video advancing`, video, 1_500, up === count));
        if (scenario.ms === 8_000) {
          budgets.push(budget(n, 'restore → remote video advancing', video, 1_000));
          budgets.push(budget(n, 'picture frozen → status said something', freeze, 3_000, freeze.summary?.n === 2 * count));
        }
        if (scenario.fault.kind === 'loss') notes.push(`${n}: call still up in ${up} of ${runs.length} runs.`);
      } else if (scenario.where === 'idle') {
        const presence = metric(`${n}: restore → presence seen both ways`, 'ms', runs.map((r) => Math.max(...(r.presence ?? [Number.NaN]))), failed);
        metrics.push(presence, metric(`${n}: restore → presence seen (per page)`, 'ms', runs.flatMap((r) => r.presence ?? []), failed), cutToStatus);
        budgets.push(budget(n, 'cut → status no longer "Online"', cutToStatus, 15_000, cutToStatus.summary?.n === 2 * count));
        budgets.push(budget(n, 'restore → presence seen both ways', presence, 1_500));
      } else {
        const ring = metric(`${n}: restore → callee rings`, 'ms', numbers(runs.map((r) => r.ring)), failed);
        metrics.push(ring, cutToStatus);
        budgets.push(budget(n, 'restore → rings', ring, 2_000));
      }
      for (const r of runs) {
        const said = (i: number): string => `${r.statuses[i].map((t) => `"${t}"`).join(' → ')} (${r.sequence[i].length - 1} changes)`;
        notes.push(`${n}: status during the ${faultName(scenario.fault)} and after, caller: ${said(0)}; callee: ${said(1)}.`);
      }
      for (const e of errors) notes.push(`${n}: a run failed: ${e}`);
      details[n] = { runs, errors };
    }
  } finally {
    await clearFaults(); // withFault already did; a second delete is harmless and guards the unforeseen
    await Promise.all([pair.caller.close(), pair.callee.close()]);
  }
  return { benchmark: 'faults', metrics, budgets, notes, details, durationMs: Date.now() - started };
}
