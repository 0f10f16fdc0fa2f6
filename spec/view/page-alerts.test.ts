import { BehaviorSubject } from 'rxjs';
import { pageAlerts } from '../../src/view/page-alerts';
import type { CallAlert } from '../../src/view/ui-types';

/** jsdom has neither Web Audio nor Notification: a window that has both, as small stand-ins. */
function browserWindow(has: { audio: boolean; notification: boolean }) {
  const contexts: { state: string }[] = [];
  class FakeAudioContext {
    state = 'running';
    currentTime = 0;
    destination = {};
    constructor() {
      contexts.push(this);
    }
    createGain() {
      return { connect: () => undefined, gain: { value: 0, setValueAtTime: () => undefined, linearRampToValueAtTime: () => undefined } };
    }
    createOscillator() {
      return { frequency: { value: 0 }, connect: () => undefined, start: () => undefined, stop: () => undefined };
    }
    addEventListener() {}
    removeEventListener() {}
    resume() {
      return Promise.resolve();
    }
    close() {
      this.state = 'closed';
      return Promise.resolve();
    }
  }
  class FakeNotification {
    static permission = 'default';
    static requestPermission = () => Promise.resolve('granted');
  }
  const win = Object.create(window) as Window & Record<string, unknown>;
  Object.defineProperty(win, 'document', { value: document });
  Object.defineProperty(win, 'AudioContext', { value: has.audio ? FakeAudioContext : undefined });
  Object.defineProperty(win, 'Notification', { value: has.notification ? FakeNotification : undefined });
  return { win, contexts };
}

describe('pageAlerts (the page edge: what this browser has)', () => {
  beforeEach(() => {
    document.body.innerHTML = '<nav><span id="nav-status">Online</span></nav>';
    document.title = 'verto-peer';
  });

  it('with Web Audio and Notification: the ring sounds in a context of its own and the notify control shows', () => {
    const { win, contexts } = browserWindow({ audio: true, notification: true });
    const alert$ = new BehaviorSubject<CallAlert>({ phase: 'ringing', callId: 'c1', peerName: 'Bob' });
    const sub = pageAlerts(win)(alert$).subscribe();
    expect(contexts.map((c) => c.state)).toEqual(['running']);
    expect(document.getElementById('notify-calls')).not.toBeNull();
    alert$.next(null);
    expect(contexts.map((c) => c.state)).toEqual(['closed']);
    sub.unsubscribe();
    expect(document.getElementById('notify-calls')).toBeNull();
  });

  it('without them: no sound, no control, and nothing throws; the hidden-tab title still works', () => {
    const { win, contexts } = browserWindow({ audio: false, notification: false });
    const sub = pageAlerts(win)(new BehaviorSubject<CallAlert>({ phase: 'ringing', callId: 'c1', peerName: 'Bob' })).subscribe();
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
    expect(document.title).toBe('Bob is calling — verto-peer');
    expect(contexts).toEqual([]);
    expect(document.getElementById('notify-calls')).toBeNull();
    sub.unsubscribe();
    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
  });
});
