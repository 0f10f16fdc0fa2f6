import { Observable } from 'rxjs';

/**
 * A DOM EventTarget's events of one type, the listener there exactly while subscribed. rxjs's
 * `fromEvent` does this and more (Node and jQuery emitters, lists of targets, selector functions); src
 * listens to EventTargets only, and those overloads cost about 300 B gzip of a bundle at its budget
 * (bench/README.md, bundle size).
 */
export function fromEvent<E = Event>(target: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>, type: string): Observable<E> {
  return new Observable<E>((subscriber) => {
    const listener = (event: Event): void => subscriber.next(event as E);
    target.addEventListener(type, listener);
    return () => target.removeEventListener(type, listener);
  });
}
