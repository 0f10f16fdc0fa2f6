import { EMPTY, merge, type Observable } from 'rxjs';
import { fromEvent } from '../dom-event';
import { attention$, notifyControl$, type AttentionDeps } from './attention';
import { blockedNotice, ringer$ } from './ringer';
import type { CallAlert } from './ui-types';

/** The page's ringing and hidden-tab attention, from what this browser has (no Web Audio: no sound; no Notification: title only). */
export function pageAlerts(win: Window): (alert$: Observable<CallAlert>) => Observable<unknown> {
  const page = win as Window & typeof globalThis; // the constructors, where this browser has them
  const doc = win.document;
  return (alert$) => {
    const attention: AttentionDeps = { doc, focus: () => win.focus(), ...(typeof page.Notification === 'function' ? { notifications: page.Notification } : {}) };
    const gesture$ = merge(fromEvent(doc, 'pointerdown'), fromEvent(doc, 'keydown'));
    const sound = typeof page.AudioContext === 'function' ? ringer$(alert$, { createContext: () => new page.AudioContext(), gesture$, setBlocked: blockedNotice(doc) }) : EMPTY;
    return merge(sound, attention$(alert$, attention), notifyControl$(attention));
  };
}
