import type { Page } from 'playwright-core';
import type { BenchClient, BenchEnv } from './harness';
import { WAIT_MS } from './harness';
import { medianOf, metric, type BenchmarkResult, type Metric } from './result';

const A = 'Toggle A';
const B = 'Toggle B';
/** The budget: a toggle shows on the other side within this, median. */
export const TOGGLE_BUDGET_MS = 300;

/** One toggle: the key pressed on A and what B's status then says (or no longer says). */
interface ToggleKind {
  readonly name: string;
  readonly key: 'm' | 'v';
  readonly phrase: string;
  /** Whether B's status then contains `phrase` (off) or no longer does (back on). */
  readonly present: boolean;
}

const KINDS: readonly ToggleKind[] = [
  { name: 'mute (M)', key: 'm', phrase: 'muted their microphone', present: true },
  { name: 'unmute (M)', key: 'm', phrase: 'muted their microphone', present: false },
  { name: 'camera off (V)', key: 'v', phrase: 'turned their camera off', present: true },
  { name: 'camera on (V)', key: 'v', phrase: 'turned their camera off', present: false },
];

/** What the page-side clocks keep (`performance.timeOrigin + performance.now()`: one clock for every page of the browser). */
interface ToggleClock {
  /** When the last M or V keydown reached the page (capture phase on window, before the app's listener). */
  pressedAt: number | null;
  /** #nav-status changes, as a MutationObserver saw them, newest last, at most 50. */
  readonly log: { at: number; text: string }[];
}
type ClockedWindow = Window & { __toggle?: ToggleClock };

/** Installed in both pages once they are loaded (#nav-status exists): runs in the browser, self-contained. */
function installToggleClock(): void {
  const w = window as ClockedWindow;
  if (w.__toggle !== undefined) return;
  const now = (): number => performance.timeOrigin + performance.now();
  const clock: ToggleClock = { pressedAt: null, log: [] };
  w.__toggle = clock;
  window.addEventListener(
    'keydown',
    (e) => {
      if (e.key === 'm' || e.key === 'v') clock.pressedAt = now();
    },
    true,
  );
  const status = document.getElementById('nav-status');
  if (status === null) return;
  new MutationObserver(() => {
    clock.log.push({ at: now(), text: status.textContent ?? '' });
    if (clock.log.length > 50) clock.log.shift();
  }).observe(status, { childList: true, characterData: true, subtree: true });
}

/** Resolves (in B's page, polling every 10 ms) with when B's status first said what `kind` shows, at or after `since`; null on timeout. */
function seenAt(page: Page, kind: ToggleKind, since: number): Promise<number | null> {
  return page.evaluate(
    ({ phrase, present, since: from, timeout }) =>
      new Promise<number | null>((resolve) => {
        const clock = (window as ClockedWindow).__toggle;
        const deadline = Date.now() + timeout;
        const tick = (): void => {
          const hit = clock?.log.find((e) => e.at >= from && e.text.startsWith('In a call with') && e.text.includes(phrase) === present);
          if (hit !== undefined) return resolve(hit.at);
          if (Date.now() > deadline) return resolve(null);
          setTimeout(tick, 10);
        };
        tick();
      }),
    { phrase: kind.phrase, present: kind.present, since, timeout: WAIT_MS },
  );
}

const statusOf = (c: BenchClient): Promise<string> => c.page.locator('#nav-status').innerText();

/** A calls B, B accepts; both say "In a call with …" with no toggle shown. */
async function connect(a: BenchClient, b: BenchClient): Promise<void> {
  await a.waitForPeer(B);
  await b.waitForPeer(A);
  await a.clickMenu(`Call ${B}`);
  await b.waitForIncoming(A);
  await b.accept();
  for (const [c, other] of [[a, B], [b, A]] as const) {
    await c.page.locator('#nav-status', { hasText: new RegExp(`^In a call with ${other}$`) }).waitFor({ timeout: WAIT_MS });
    await c.page.evaluate(installToggleClock);
  }
}

/** Presses the kind's key on A; ms from A's keydown to B's status showing it. */
async function toggleOnce(a: BenchClient, b: BenchClient, kind: ToggleKind): Promise<number> {
  await a.page.keyboard.press(kind.key);
  const pressedAt = await a.page.evaluate(() => (window as ClockedWindow).__toggle?.pressedAt ?? null);
  if (pressedAt === null) throw new Error(`${A}: the ${kind.key} keydown was not seen`);
  const at = await seenAt(b.page, kind, pressedAt);
  if (at === null) throw new Error(`${B}: no "${kind.phrase}" ${kind.present ? 'shown' : 'gone'} within ${WAIT_MS} ms of ${kind.name} (status: ${await statusOf(b)})`);
  return at - pressedAt;
}

/**
 * Benchmark 7: in a connected call, A presses M (mute), M (unmute), V (camera off), V (camera on), each
 * after B has shown the previous one; measured from A's keydown to B's #nav-status saying it. One
 * unmeasured warm-up round, then `runs` rounds. A failed round reloads both pages and calls again.
 */
export async function benchToggle(env: BenchEnv, runs: number): Promise<BenchmarkResult> {
  const started = Date.now();
  const channel = env.store.createChannel();
  const a = await env.open(A, channel);
  const b = await env.open(B, channel);
  const samples: number[][] = KINDS.map(() => []);
  const errors: string[] = [];
  let failed = 0;
  try {
    await connect(a, b);
    for (const kind of KINDS) await toggleOnce(a, b, kind); // warm-up
    for (let i = 0; i < runs; i += 1) {
      try {
        const round: number[] = [];
        for (const kind of KINDS) round.push(await toggleOnce(a, b, kind));
        round.forEach((ms, k) => samples[k].push(ms));
      } catch (error) {
        failed += 1;
        errors.push(String(error));
        await Promise.all([a.reload(), b.reload()]);
        await connect(a, b);
      }
    }
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
  const metrics: Metric[] = KINDS.map((kind, k) => metric(`${kind.name} on A → B's status shows it`, 'ms', samples[k], failed));
  const all = metric('any toggle on A → B\'s status shows it', 'ms', samples.flat(), failed);
  return {
    benchmark: 'toggle',
    metrics: [...metrics, all],
    budgets: KINDS.map((kind, k) => {
      const median = medianOf(metrics[k]);
      const p90 = metrics[k].summary?.p90;
      return {
        benchmark: 'toggle',
        budget: `${kind.name} shown on the other side ≤ ${TOGGLE_BUDGET_MS} ms median`,
        measured: `${Number.isFinite(median) ? Math.round(median) : 'n/a'} ms (p90 ${p90 === undefined ? 'n/a' : Math.round(p90)}, n=${samples[k].length}, ${failed} failed)`,
        pass: median <= TOGGLE_BUDGET_MS && failed === 0,
      };
    }),
    notes: [
      'Two pages of one browser, one clock (performance.timeOrigin + performance.now()): A\'s keydown (capture phase) to the MutationObserver on B\'s #nav-status. ' +
        'The floor is the development server\'s relay delay (~45 ms per peer message, as FreeSWITCH\'s chat hook).',
    ],
    details: { kinds: KINDS.map((kind, k) => ({ kind: kind.name, samples: samples[k] })), errors },
    durationMs: Date.now() - started,
  };
}
