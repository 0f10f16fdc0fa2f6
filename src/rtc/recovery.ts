import {
  EMPTY,
  concat,
  concatMap,
  defer,
  distinctUntilChanged,
  exhaustMap,
  filter,
  map,
  merge,
  of,
  race,
  share,
  switchMap,
  take,
  throwError,
  timer,
} from 'rxjs';
import type { Observable, SchedulerLike } from 'rxjs';
import { RtcError, type ConnectionState } from './connection-types';

export interface RecoveryTiming {
  /** How long `disconnected` may last before we restart ICE (a blip shorter than this needs nothing). */
  readonly disconnectedMs: number;
  /** How long a restart may take to reach `connected` again before the call has failed. */
  readonly restartMs: number;
}

export const defaultRecoveryTiming: RecoveryTiming = { disconnectedMs: 3000, restartMs: 7000 };

/**
 * Our connection state from the RTCPeerConnection's: `connected` as it comes; `failed`, or
 * `disconnected` for longer than `disconnectedMs`, calls `restartIce()` and gives `reconnecting`;
 * no `connected` within `restartMs` after that errors with RtcError `ice-failed`.
 *
 * @example
 *   pc: --c--d-------------  (disconnectedMs 3, restartMs 7)
 *   out: --c--------r------#
 */
export function connectionStates(
  pcState$: Observable<RTCPeerConnectionState>,
  restartIce: () => void,
  timing: RecoveryTiming,
  scheduler: SchedulerLike,
): Observable<ConnectionState> {
  return defer(() => {
    const state$ = pcState$.pipe(share());
    const connected$ = state$.pipe(
      filter((s) => s === 'connected'),
      map((): ConnectionState => 'connected'),
    );
    // switchMap: a newer state cancels a pending disconnected-timer (the blip healed).
    const trouble$ = state$.pipe(
      switchMap((s) =>
        s === 'failed' ? of(0) : s === 'disconnected' ? timer(timing.disconnectedMs, scheduler) : EMPTY,
      ),
    );
    const deadline$ = timer(timing.restartMs, scheduler).pipe(
      concatMap(() => throwError(() => new RtcError('ice-failed'))),
    );
    // exhaustMap: while one restart runs, further trouble is part of the same episode.
    const recover$ = trouble$.pipe(
      exhaustMap(() =>
        concat(
          defer(() => {
            restartIce();
            return of<ConnectionState>('reconnecting');
          }),
          race(connected$.pipe(take(1)), deadline$),
        ),
      ),
    );
    return merge(connected$, recover$).pipe(distinctUntilChanged());
  });
}
