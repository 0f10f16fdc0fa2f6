import { concat, distinctUntilChanged, map, merge, of, startWith, switchMap, timer, type Observable } from 'rxjs';
import { fromEvent } from '../dom-event';

export const NAV_HIDE_MS = 3_000;

/** Mouse, touch or key activity on a document (lazy: listeners exist only while subscribed). */
export const documentActivity$ = (doc: Document): Observable<Event> =>
  merge(fromEvent(doc, 'mousemove'), fromEvent(doc, 'pointerdown'), fromEvent(doc, 'touchstart'), fromEvent(doc, 'keydown'));

/**
 * Whether the navbar should be hidden: only while in a call, after `hideMs` without activity;
 * any activity shows it again. Outside a call it is always shown.
 *
 * @example inCall `a` (true) at 0, no activity → `false` at 0, `true` at 3000.
 */
export function navHidden$(inCall$: Observable<boolean>, activity$: Observable<unknown>, hideMs = NAV_HIDE_MS): Observable<boolean> {
  return inCall$.pipe(
    distinctUntilChanged(),
    // switchMap: leaving the call cancels the pending hide; each activity restarts the countdown.
    switchMap((active) =>
      active
        ? activity$.pipe(
            startWith(null),
            switchMap(() => concat(of(false), timer(hideMs).pipe(map(() => true)))),
          )
        : of(false),
    ),
    distinctUntilChanged(),
  );
}
