import { BehaviorSubject } from 'rxjs';
import { attention$, callingWhileHidden, notifyControl$, titleFor, type AttentionDeps } from '../../src/view/attention';
import type { CallAlert } from '../../src/view/ui-types';

const ringing: CallAlert = { phase: 'ringing', callId: 'c1', peerName: 'Bob' };

describe('callingWhileHidden / titleFor (pure)', () => {
  it('only a ringing call in a hidden tab names the caller', () => {
    expect(callingWhileHidden(ringing, true)).toBe('Bob is calling');
    expect(callingWhileHidden(ringing, false)).toBeNull();
    expect(callingWhileHidden({ ...ringing, phase: 'offering' }, true)).toBeNull();
    expect(callingWhileHidden({ ...ringing, phase: 'connected' }, true)).toBeNull();
    expect(callingWhileHidden(null, true)).toBeNull();
  });
  it('the title puts the line before the page title, or is the page title', () => {
    expect(titleFor('verto-peer', 'Bob is calling')).toBe('Bob is calling — verto-peer');
    expect(titleFor('verto-peer', null)).toBe('verto-peer');
  });
});

/** A Notification stand-in that keeps every one shown, open or closed. */
function fakeNotifications(permission: NotificationPermission) {
  const shown: { title: string; tag: string | undefined; open: boolean; onclick: (() => void) | null }[] = [];
  class FakeNotification {
    static permission = permission;
    static answer: NotificationPermission = 'granted';
    static asked = 0;
    static requestPermission(): Promise<NotificationPermission> {
      FakeNotification.asked += 1;
      FakeNotification.permission = FakeNotification.answer;
      return Promise.resolve(FakeNotification.answer);
    }
    private readonly entry: (typeof shown)[number];
    constructor(title: string, options?: NotificationOptions) {
      this.entry = { title, tag: options?.tag, open: true, onclick: null };
      shown.push(this.entry);
    }
    set onclick(f: () => void) {
      this.entry.onclick = f;
    }
    close(): void {
      this.entry.open = false;
    }
  }
  // The stand-in makes no real Notification objects: typed as the API the code sees.
  return { shown, Notify: FakeNotification as unknown as typeof FakeNotification & NonNullable<AttentionDeps['notifications']> };
}

function setHidden(hidden: boolean): void {
  Object.defineProperty(document, 'visibilityState', { value: hidden ? 'hidden' : 'visible', configurable: true });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('attention$ (title and system notification while a call rings in a hidden tab)', () => {
  beforeEach(() => {
    document.title = 'verto-peer';
    setHidden(false);
  });

  it('hidden tab: title names the caller and a notification shows; both end when the call is answered', () => {
    const { shown, Notify } = fakeNotifications('granted');
    let focused = 0;
    const alert$ = new BehaviorSubject<CallAlert>(null);
    const sub = attention$(alert$, { doc: document, focus: () => void (focused += 1), notifications: Notify }).subscribe();
    setHidden(true);
    expect(document.title).toBe('verto-peer');
    alert$.next(ringing);
    expect(document.title).toBe('Bob is calling — verto-peer');
    expect(shown).toEqual([expect.objectContaining({ title: 'Bob is calling', tag: 'c1', open: true })]);
    shown[0].onclick?.();
    expect(focused).toBe(1);
    expect(shown[0].open).toBe(false); // clicking it also dismisses it
    alert$.next({ ...ringing, phase: 'accepting' });
    expect(document.title).toBe('verto-peer');
    sub.unsubscribe();
  });

  it('a visible tab gets neither; showing the tab while it rings restores the title and closes the notification', () => {
    const { shown, Notify } = fakeNotifications('granted');
    const alert$ = new BehaviorSubject<CallAlert>(ringing);
    const sub = attention$(alert$, { doc: document, focus: () => undefined, notifications: Notify }).subscribe();
    expect(document.title).toBe('verto-peer');
    expect(shown).toEqual([]);
    setHidden(true);
    expect(document.title).toBe('Bob is calling — verto-peer');
    setHidden(false);
    expect(document.title).toBe('verto-peer');
    expect(shown.map((n) => n.open)).toEqual([false]);
    setHidden(true);
    sub.unsubscribe(); // leaving the page mid-ring restores the title too
    expect(document.title).toBe('verto-peer');
    expect(shown.map((n) => n.open)).toEqual([false, false]);
  });

  it('no notification without permission (default or denied) or without the API; the title still changes', () => {
    for (const notifications of [fakeNotifications('default').Notify, fakeNotifications('denied').Notify, undefined]) {
      const deps: AttentionDeps = { doc: document, focus: () => undefined, ...(notifications ? { notifications } : {}) };
      const sub = attention$(new BehaviorSubject<CallAlert>(ringing), deps).subscribe();
      setHidden(true);
      expect(document.title).toBe('Bob is calling — verto-peer');
      sub.unsubscribe();
      setHidden(false);
    }
  });
});

describe('notifyControl$ (permission asked at a click, never on load)', () => {
  beforeEach(() => {
    document.body.innerHTML = '<nav><span id="nav-status">Online</span></nav>';
  });

  it('shows a control while permission is undecided; its click asks, and an answer removes it', async () => {
    const { Notify } = fakeNotifications('default');
    const sub = notifyControl$({ doc: document, focus: () => undefined, notifications: Notify }).subscribe();
    const button = document.getElementById('notify-calls');
    expect(button?.textContent).toBe('Notify me of calls');
    expect(Notify.asked).toBe(0); // not on load
    button?.click();
    expect(Notify.asked).toBe(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(document.getElementById('notify-calls')).toBeNull();
    sub.unsubscribe();
  });

  it('a dismissed prompt keeps the control; unsubscribing removes it', async () => {
    const { Notify } = fakeNotifications('default');
    Notify.answer = 'default';
    const sub = notifyControl$({ doc: document, focus: () => undefined, notifications: Notify }).subscribe();
    document.getElementById('notify-calls')?.click();
    await Promise.resolve();
    await Promise.resolve();
    expect(document.getElementById('notify-calls')).not.toBeNull();
    sub.unsubscribe();
    expect(document.getElementById('notify-calls')).toBeNull();
  });

  it('nothing to offer once decided, or without the API', () => {
    for (const notifications of [fakeNotifications('granted').Notify, fakeNotifications('denied').Notify, undefined]) {
      const sub = notifyControl$({ doc: document, focus: () => undefined, ...(notifications ? { notifications } : {}) }).subscribe();
      expect(document.getElementById('notify-calls')).toBeNull();
      sub.unsubscribe();
    }
  });
});
