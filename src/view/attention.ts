import { combineLatest, distinctUntilChanged, EMPTY, map, merge, Observable, startWith, switchMap } from 'rxjs';
import { fromEvent } from '../dom-event';
import type { CallAlert } from './ui-types';

/** The someone-is-calling line, when the person is not looking (pure): null otherwise. */
export function callingWhileHidden(alert: CallAlert, hidden: boolean): string | null {
  return hidden && alert?.phase === 'ringing' ? `${alert.peerName} is calling` : null;
}

/** The document title for that line (pure): "Bob is calling — verto-peer", or the page's own title. */
export const titleFor = (base: string, calling: string | null): string => (calling === null ? base : `${calling} — ${base}`);

/** The parts of the page attention touches (a Window in the page). */
export interface AttentionDeps {
  readonly doc: Document;
  readonly focus: () => void;
  /** `Notification` where the browser has it; a notification shows only when permission is 'granted'. */
  readonly notifications?: {
    readonly permission: NotificationPermission;
    readonly requestPermission?: () => Promise<NotificationPermission>;
    new (title: string, options?: NotificationOptions): Notification;
  };
}

const hidden$ = (doc: Document): Observable<boolean> =>
  fromEvent(doc, 'visibilitychange').pipe(
    startWith(null),
    map(() => doc.visibilityState === 'hidden'),
    distinctUntilChanged(),
  );

/** A system notification for as long as subscribed; clicking it focuses the page. */
const notification$ = (text: string, tag: string, deps: AttentionDeps): Observable<never> =>
  new Observable<never>(() => {
    const Notify = deps.notifications;
    if (Notify?.permission !== 'granted') return undefined;
    const shown = new Notify(text, { tag, body: 'Click to answer in verto-peer' });
    shown.onclick = () => {
      deps.focus();
      shown.close();
    };
    return () => shown.close();
  });

/**
 * While a call rings in a hidden tab: the title names the caller (restored when it stops ringing or the
 * tab is shown), and a system notification appears if the person allowed them.
 */
export function attention$(alert$: Observable<CallAlert>, deps: AttentionDeps): Observable<never> {
  const base = deps.doc.title;
  return combineLatest([alert$, hidden$(deps.doc)]).pipe(
    map(([alert, hidden]) => ({ text: callingWhileHidden(alert, hidden), tag: alert?.callId ?? '' })),
    distinctUntilChanged((a, b) => a.text === b.text && a.tag === b.tag),
    switchMap(({ text, tag }) => {
      deps.doc.title = titleFor(base, text);
      return text === null ? EMPTY : merge(notification$(text, tag, deps), new Observable<never>(() => () => void (deps.doc.title = base)));
    }),
  );
}

/**
 * A small "Notify me of calls" control next to the status, only where notifications can still be
 * allowed: permission is asked at its click (never on load), and the control goes once answered.
 */
export function notifyControl$(deps: AttentionDeps): Observable<never> {
  return new Observable<never>(() => {
    const Notify = deps.notifications;
    const request = Notify?.requestPermission?.bind(Notify);
    if (Notify?.permission !== 'default' || request === undefined) return undefined;
    const button = deps.doc.createElement('button');
    button.type = 'button';
    button.id = 'notify-calls';
    button.className = 'button pseudo';
    button.textContent = 'Notify me of calls';
    const ask = (): void => {
      void request().then((answer) => {
        if (answer !== 'default') button.remove();
      }, () => undefined);
    };
    button.addEventListener('click', ask);
    const status = deps.doc.getElementById('nav-status');
    if (status) status.after(button);
    else deps.doc.body.append(button);
    return () => {
      button.removeEventListener('click', ask);
      button.remove();
    };
  });
}
