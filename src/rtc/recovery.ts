import {
  EMPTY,
  concatMap,
  defer,
  distinctUntilChanged,
  exhaustMap,
  filter,
  finalize,
  ignoreElements,
  map,
  merge,
  of,
  race,
  scan,
  share,
  skip,
  switchMap,
  take,
  takeUntil,
  tap,
  throwError,
  timer,
} from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import { RtcError, type ConnectionState } from './connection-types';

export interface RecoveryTiming {
  /** How long `disconnected` may last before we restart ICE (a blip shorter than this heals by itself). */
  readonly disconnectedMs: number;
  /** Before the call first connected: how long its one restart may take before ICE has failed. */
  readonly restartMs: number;
  /** During an outage, while signalling is up: how often the restart is tried again (its offer may have been lost). */
  readonly retryMs: number;
  /** After the call had connected: how long media may stay interrupted before the call is lost. */
  readonly outageMs: number;
  /**
   * How long the polite side leaves each restart to the impolite side. One restart renews both sides'
   * ICE; when both offer, the polite side rolls its offer back, and in Chromium 156 that rollback, done
   * before the other side's video was flowing again, left our remote picture frozen for good while its
   * frames were still decoded (2 of every 5 runs of a 45 s blackout: bench/README.md, Faults).
   */
  readonly politeDelayMs: number;
}

/**
 * 2 s: Chrome reports `disconnected` after about 2.5 s without ICE responses, so the first restart
 * comes about 4.5 s into a blackout — a restart that is not needed costs a signalling round trip and
 * nothing else (the old candidate pair keeps working until the new one is chosen). 10 s between
 * tries: a restart on a working network connects within 1–2 s, even through a relay. 60 s: a phone
 * changing networks or a laptop waking up is back well within a minute. 2 s for the polite side: the
 * impolite side's restart offer reaches it within a relay hop of both being back (~0.1–0.4 s in the
 * bench/faults.ts timelines); only if that offer was lost does the polite side's own restart count.
 */
export const defaultRecoveryTiming: RecoveryTiming = { disconnectedMs: 2000, restartMs: 7000, retryMs: 10_000, outageMs: 60_000, politeDelayMs: 2000 };

/**
 * What recovery asks of the call's media: a state to report, an ICE restart to make (or to send
 * again), or (`resend`) an offer still pending to send again, nothing else.
 */
export type RecoveryStep = { readonly kind: 'state'; readonly state: ConnectionState } | { readonly kind: 'restart' } | { readonly kind: 'resend' };

const state = (s: ConnectionState): RecoveryStep => ({ kind: 'state', state: s });
const restart: RecoveryStep = { kind: 'restart' };
const resend: RecoveryStep = { kind: 'resend' };

/**
 * Our connection state from the RTCPeerConnection's, and when to restart ICE.
 *
 * Before the call first connected: `failed`, or `disconnected` for `disconnectedMs`, restarts once and
 * gives `reconnecting`; no `connected` within `restartMs` errors with RtcError `ice-failed`.
 *
 * After it connected, an outage begins at `disconnected` or `failed`: `reconnecting` at once; a restart
 * after `disconnectedMs` (at once on `failed`), tried again every `retryMs` — but only while
 * `signallingUp$` last said true, since a restart's offer sent into a dead socket is lost; every `true`
 * during the outage restarts at once, and so does inbound media flowing again (`flowing$` true), with
 * signalling down or not. `connected` ends the outage; after `outageMs` without it the stream errors
 * with RtcError `connection-lost`.
 *
 * On the polite side (`polite`) every restart waits `politeDelayMs` more, and is not made if the
 * impolite side's restart has connected meanwhile.
 *
 * Outside an outage every `true` after the first asks to `resend` a pending offer: the relay drops
 * signals to a page that is offline, so after a long blackout one side's restart offer may never
 * have arrived while the other side's was ignored in the collision, and both wait for an answer
 * (seen in the bench/faults.ts timeline: ICE had come back on the old pair, the outage was over).
 *
 * @example
 *   pc:        -c--d------------------c-   (disconnectedMs 2, retryMs 10)
 *   signalling: t---f----------t--------
 *   out:       -c--r-----------R------c-   (R: a restart, once signalling is back)
 */
export function connectionStates(
  pcState$: Observable<RTCPeerConnectionState>,
  signallingUp$: Observable<boolean>,
  timing: RecoveryTiming,
  scheduler: SchedulerLike,
  /** Inbound media flowing (src/rtc/call-stats.ts): `true` during an outage restarts at once (polite: after `politeDelayMs`), signalling or not. */
  flowing$: Observable<boolean> = EMPTY,
  /** We placed the call: our restarts wait for the other side's (see `RecoveryTiming.politeDelayMs`). */
  polite = false,
): Observable<RecoveryStep> {
  return defer(() => {
    const wait = polite ? timing.politeDelayMs : 0;
    const restartAfterWait$: Observable<RecoveryStep> = wait === 0 ? of(restart) : timer(wait, scheduler).pipe(map(() => restart));
    const state$ = pcState$.pipe(share());
    // Until told otherwise, signals are taken to get through (the Peer says at once when they do not).
    let up = true;
    const up$ = signallingUp$.pipe(
      tap((u) => {
        up = u;
      }),
      share(),
    );
    const connected$ = state$.pipe(filter((s) => s === 'connected'));
    const trouble$ = state$.pipe(filter((s) => s === 'disconnected' || s === 'failed'));

    // Setup. switchMap: a newer state cancels a pending disconnected-timer (the blip healed).
    const setupTrouble$ = state$.pipe(
      switchMap((s) => (s === 'failed' ? of(0) : s === 'disconnected' ? timer(timing.disconnectedMs, scheduler) : EMPTY)),
      takeUntil(connected$),
    );
    const iceFailed$ = timer(timing.restartMs, scheduler).pipe(concatMap(() => throwError(() => new RtcError('ice-failed'))));
    // exhaustMap: while one restart runs, further trouble is part of the same attempt.
    const setup$ = setupTrouble$.pipe(
      exhaustMap(() =>
        merge(restartAfterWait$.pipe(takeUntil(connected$)), of(state('reconnecting')), race(connected$.pipe(take(1), ignoreElements()), iceFailed$)),
      ),
    );

    let inOutage = false;
    const outage = (first: RTCPeerConnectionState): Observable<RecoveryStep> => {
      const firstTry$ = first === 'failed' ? of(0) : timer(timing.disconnectedMs, scheduler);
      // switchMap: each reason to try (the first, signalling back) tries now and restarts the retry clock.
      const tries$ = merge(firstTry$, up$.pipe(filter((u) => u))).pipe(
        switchMap(() => timer(wait, timing.retryMs, scheduler)),
        filter(() => up),
        map(() => restart),
      );
      // Media from the other side again while our ICE still says failed: the network is back, and only a
      // restart of ours revives this side's ICE (the faults timeline: ~0.5 s before our socket was back).
      // It needs no answer for that; its offer goes out when signalling is back.
      const mediaBack$ = flowing$.pipe(
        distinctUntilChanged(),
        switchMap((f) => (f ? restartAfterWait$ : EMPTY)),
      );
      const lost$ = timer(timing.outageMs, scheduler).pipe(concatMap(() => throwError(() => new RtcError('connection-lost'))));
      return defer(() => {
        inOutage = true;
        return merge(of(state('reconnecting')), tries$, mediaBack$, lost$);
      }).pipe(
        takeUntil(connected$),
        finalize(() => {
          inOutage = false;
        }),
      );
    };
    // skip(1): the first value is how signalling stands when the call starts, not news.
    const resends$ = up$.pipe(
      skip(1),
      filter((u) => u && !inOutage),
      map(() => resend),
    );
    // exhaustMap: `failed` after `disconnected` is the same outage, with the same deadline.
    const outages$ = connected$.pipe(
      take(1),
      switchMap(() => trouble$.pipe(exhaustMap(outage))),
    );

    return merge(
      resends$, // also keeps `up` current for the whole call
      connected$.pipe(map(() => state('connected'))),
      setup$,
      outages$,
    ).pipe(distinctUntilChanged((a, b) => a.kind === 'state' && b.kind === 'state' && a.state === b.state));
  });
}

/**
 * When media is back after an interruption: the connection `connected` again after `disconnected` or
 * `failed`, or inbound packets flowing again (`flowing$` true after false; a blackout shorter than
 * Chromium's ~7.5 s `disconnected` shows only there). The picture then waits for a keyframe, which
 * Chromium's receiver asks for only at its next 3 s "no decodable frame" check: the bench/faults.ts
 * timeline showed 1–3 s of packets without a picture. So each side sends one at this moment.
 *
 * @example
 *   pc:      -c--d---c------
 *   flowing: ---f--t----f-t-
 *   out:     ------x-x----x-
 */
export function mediaBack(pcState$: Observable<RTCPeerConnectionState>, flowing$: Observable<boolean>): Observable<void> {
  // Up after any down since the last up (`connecting` may come between, as during a restart).
  const backs = <T>(values$: Observable<T>, isDown: (v: T) => boolean, isUp: (v: T) => boolean): Observable<void> =>
    values$.pipe(
      scan((acc: { down: boolean; back: boolean }, v: T) => ({ down: isDown(v) || (acc.down && !isUp(v)), back: acc.down && isUp(v) }), { down: false, back: false }),
      filter((acc) => acc.back),
      map(() => undefined),
    );
  return merge(
    backs(pcState$, (s) => s === 'disconnected' || s === 'failed', (s) => s === 'connected'),
    backs(flowing$, (f) => !f, (f) => f),
  );
}
