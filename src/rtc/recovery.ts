import {
  EMPTY,
  concat,
  concatMap,
  defer,
  distinctUntilChanged,
  exhaustMap,
  filter,
  ignoreElements,
  map,
  merge,
  of,
  race,
  share,
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
}

/**
 * 2 s: Chrome reports `disconnected` after about 2.5 s without ICE responses, so the first restart
 * comes about 4.5 s into a blackout — a restart that is not needed costs a signalling round trip and
 * nothing else (the old candidate pair keeps working until the new one is chosen). 10 s between
 * tries: a restart on a working network connects within 1–2 s, even through a relay. 60 s: a phone
 * changing networks or a laptop waking up is back well within a minute.
 */
export const defaultRecoveryTiming: RecoveryTiming = { disconnectedMs: 2000, restartMs: 7000, retryMs: 10_000, outageMs: 60_000 };

/** What recovery asks of the call's media: a state to report, or an ICE restart to make (or to send again). */
export type RecoveryStep = { readonly kind: 'state'; readonly state: ConnectionState } | { readonly kind: 'restart' };

const state = (s: ConnectionState): RecoveryStep => ({ kind: 'state', state: s });
const restart: RecoveryStep = { kind: 'restart' };

/**
 * Our connection state from the RTCPeerConnection's, and when to restart ICE.
 *
 * Before the call first connected: `failed`, or `disconnected` for `disconnectedMs`, restarts once and
 * gives `reconnecting`; no `connected` within `restartMs` errors with RtcError `ice-failed`.
 *
 * After it connected, an outage begins at `disconnected` or `failed`: `reconnecting` at once; a restart
 * after `disconnectedMs` (at once on `failed`), tried again every `retryMs` — but only while
 * `signallingUp$` last said true, since a restart's offer sent into a dead socket is lost; every `true`
 * during the outage restarts at once. `connected` ends the outage; after `outageMs` without it the
 * stream errors with RtcError `connection-lost`.
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
): Observable<RecoveryStep> {
  return defer(() => {
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
      exhaustMap(() => concat(of(restart, state('reconnecting')), race(connected$.pipe(take(1), ignoreElements()), iceFailed$))),
    );

    const outage = (first: RTCPeerConnectionState): Observable<RecoveryStep> => {
      const firstTry$ = first === 'failed' ? of(0) : timer(timing.disconnectedMs, scheduler);
      // switchMap: each reason to try (the first, signalling back) tries now and restarts the retry clock.
      const tries$ = merge(firstTry$, up$.pipe(filter((u) => u))).pipe(
        switchMap(() => timer(0, timing.retryMs, scheduler)),
        filter(() => up),
        map(() => restart),
      );
      const lost$ = timer(timing.outageMs, scheduler).pipe(concatMap(() => throwError(() => new RtcError('connection-lost'))));
      return merge(of(state('reconnecting')), tries$, lost$).pipe(takeUntil(connected$));
    };
    // exhaustMap: `failed` after `disconnected` is the same outage, with the same deadline.
    const outages$ = connected$.pipe(
      take(1),
      switchMap(() => trouble$.pipe(exhaustMap(outage))),
    );

    return merge(
      up$.pipe(ignoreElements()), // keeps `up` current for the whole call
      connected$.pipe(map(() => state('connected'))),
      setup$,
      outages$,
    ).pipe(distinctUntilChanged((a, b) => a.kind === 'state' && b.kind === 'state' && a.state === b.state));
  });
}
