import { EMPTY, catchError, combineLatest, distinctUntilChanged, exhaustMap, filter, map, scan, startWith, timer } from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import { isRecord } from '../json';
import type { ConnectionState } from './connection-types';

/** One getStats() reading of a call: counters summed over the inbound streams, and the selected pair's round trip. */
export interface CallStatsSample {
  /** Scheduler time of the reading, ms. */
  readonly at: number;
  readonly audioPackets: number;
  readonly videoPackets: number;
  readonly framesDecoded: number;
  readonly packetsLost: number;
  /** Round trip of the selected candidate pair in ms; null before one is known. */
  readonly rttMs: number | null;
}

/** Why the connection is poor, in the order they are told (delay first: it explains the rest). */
export type PoorReason = 'high-delay' | 'packet-loss' | 'no-frames';

/**
 * What the readings say. `flowing`: inbound packets advanced lately (false: media interrupted, whatever
 * the pc says). `poor`: the first reason quality is poor, or null. `noFrames` stays its own flag so a
 * camera turned off on the other side (told by a peer message, issue 14) can be told apart later.
 */
export interface CallVerdict {
  readonly flowing: boolean;
  readonly poor: PoorReason | null;
}

export interface QualityRules {
  /** No inbound packet for this long: media is interrupted. */
  readonly silentMs: number;
  readonly maxRttMs: number;
  /** Fraction of inbound packets lost between two readings. */
  readonly maxLoss: number;
  /** Packets arrive but no video frame was decoded for this long. */
  readonly frozenMs: number;
  /** Hysteresis: a reason is told only after this many readings in a row gave it. */
  readonly poorSamples: number;
  /** Hysteresis: poor ends only after good readings for this long. */
  readonly goodMs: number;
}

/**
 * issue 13/14: interrupted after 1.5 s without packets; poor above 400 ms round trip, 5 % loss, or 2 s
 * without frames. Under 20 % loss single readings swing across those lines and the warning changed
 * 14–22 times in 20 s (bench/faults.ts); told after 2 poor readings in a row (1 s), withdrawn after 3 s
 * of good ones, it stays put through a bad spell and still comes within ~1 s of one starting.
 */
export const defaultQualityRules: QualityRules = { silentMs: 1_500, maxRttMs: 400, maxLoss: 0.05, frozenMs: 2_000, poorSamples: 2, goodMs: 3_000 };

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** Reads a report (RTCStatsReport.values(), or fixtures) into a sample; unknown or malformed entries count as nothing. */
export function readSample(stats: Iterable<unknown>, at: number): CallStatsSample {
  let audioPackets = 0;
  let videoPackets = 0;
  let framesDecoded = 0;
  let packetsLost = 0;
  const pairs = new Map<string, Record<string, unknown>>();
  let selected: string | undefined;
  for (const s of stats) {
    if (!isRecord(s)) continue;
    if (s.type === 'inbound-rtp') {
      if (s.kind === 'video') {
        videoPackets += num(s.packetsReceived);
        framesDecoded += num(s.framesDecoded);
      } else if (s.kind === 'audio') audioPackets += num(s.packetsReceived);
      packetsLost += Math.max(0, num(s.packetsLost));
    } else if (s.type === 'candidate-pair' && typeof s.id === 'string') pairs.set(s.id, s);
    else if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') selected = s.selectedCandidatePairId;
  }
  const pair = (selected !== undefined ? pairs.get(selected) : undefined) ?? [...pairs.values()].find((p) => p.nominated === true && p.state === 'succeeded');
  const rtt = pair?.currentRoundTripTime;
  return { at, audioPackets, videoPackets, framesDecoded, packetsLost, rttMs: typeof rtt === 'number' && Number.isFinite(rtt) ? rtt * 1000 : null };
}

/** The readings so far, as the verdict needs them. */
export interface StatsTrack {
  readonly last: CallStatsSample;
  /** When inbound packets (any kind) / decoded frames last advanced. */
  readonly packetsAt: number;
  readonly framesAt: number;
  /** Loss between the last two readings, in [0, 1]. */
  readonly loss: number;
}

export const startTrack = (first: CallStatsSample): StatsTrack => ({ last: first, packetsAt: first.at, framesAt: first.at, loss: 0 });

export function advance(track: StatsTrack, next: CallStatsSample): StatsTrack {
  const { last } = track;
  const received = next.audioPackets + next.videoPackets - (last.audioPackets + last.videoPackets);
  const lost = Math.max(0, next.packetsLost - last.packetsLost);
  return {
    last: next,
    packetsAt: received > 0 ? next.at : track.packetsAt,
    framesAt: next.framesDecoded > last.framesDecoded ? next.at : track.framesAt,
    // After a silence the counter jumps by the whole outage's packets: that is no news about quality now.
    loss: received + lost > 0 && track.packetsAt === last.at ? lost / (received + lost) : 0,
  };
}

export function verdict(track: StatsTrack, rules: QualityRules): CallVerdict {
  const now = track.last.at;
  const flowing = now - track.packetsAt < rules.silentMs;
  const video = track.last.videoPackets > 0;
  const poor: PoorReason | null =
    !flowing ? null // interrupted is its own state, not poor quality
    : track.last.rttMs !== null && track.last.rttMs > rules.maxRttMs ? 'high-delay'
    : track.loss > rules.maxLoss ? 'packet-loss'
    : video && now - track.framesAt >= rules.frozenMs ? 'no-frames'
    : null;
  return { flowing, poor };
}

/** The verdict as told, with what the hysteresis remembers: the latest run of one raw reason, and since when readings were good. */
export interface ToldVerdict {
  readonly told: CallVerdict;
  readonly run: { readonly reason: PoorReason | null; readonly count: number };
  readonly goodSince: number | null;
}

/**
 * Hysteresis on `poor` (see defaultQualityRules): a reason is told, or replaces the one told, after
 * `poorSamples` readings in a row gave it; poor ends after `goodMs` of good readings. An interruption
 * is told at once and clears poor (media that comes back starts from good).
 */
export function tell(previous: ToldVerdict | null, raw: CallVerdict, at: number, rules: QualityRules): ToldVerdict {
  const run = previous !== null && previous.run.reason === raw.poor ? { reason: raw.poor, count: previous.run.count + 1 } : { reason: raw.poor, count: 1 };
  const goodSince = raw.poor === null ? (previous?.goodSince ?? at) : null;
  if (!raw.flowing) return { told: raw, run, goodSince: null };
  const was = previous?.told.flowing === true ? previous.told.poor : null;
  const poor: PoorReason | null =
    raw.poor !== null ? (run.count >= rules.poorSamples ? raw.poor : was)
    : was !== null && goodSince !== null && at - goodSince < rules.goodMs ? was
    : null;
  return { told: { flowing: true, poor }, run, goodSince };
}

/** Polling period: twice a second, so 1.5 s of silence shows within 2 s; each reading is one getStats() call, cheap. */
export const STATS_PERIOD_MS = 500;

/**
 * Polls `getStats` every `periodMs` for as long as it is subscribed and emits each change of verdict.
 * A failed reading is skipped (the pc may be closing); exhaustMap: a slow reading is not stacked.
 */
export function callVerdicts$(getStats: () => Observable<Iterable<unknown>>, scheduler: SchedulerLike, rules: QualityRules = defaultQualityRules, periodMs = STATS_PERIOD_MS): Observable<CallVerdict> {
  return timer(0, periodMs, scheduler).pipe(
    exhaustMap(() => getStats().pipe(catchError(() => EMPTY))),
    map((stats) => readSample(stats, scheduler.now())),
    scan((track: StatsTrack | null, sample) => (track === null ? startTrack(sample) : advance(track, sample)), null),
    filter((track): track is StatsTrack => track !== null),
    scan<StatsTrack, ToldVerdict, null>((told, track) => tell(told, verdict(track, rules), track.last.at, rules), null),
    map((told) => told.told),
    distinctUntilChanged((a, b) => a.flowing === b.flowing && a.poor === b.poor),
  );
}

/**
 * The call's state with media interruption folded in: `connected` while no inbound packet arrives
 * (`flowing$` false) reads `reconnecting`, so the person is told at once and not only when ICE
 * reports `disconnected` (Chromium: about 5 s late); back to `connected` as soon as packets flow.
 *
 * @example
 *   states:  g--c---------
 *   flowing: ------f---t--
 *   out:     g--c--r---c--
 */
export function withInterruption(states$: Observable<ConnectionState>, flowing$: Observable<boolean>): Observable<ConnectionState> {
  return combineLatest([states$, flowing$.pipe(startWith(true))]).pipe(
    map(([state, flowing]) => (state === 'connected' && !flowing ? 'reconnecting' : state)),
    distinctUntilChanged(),
  );
}
