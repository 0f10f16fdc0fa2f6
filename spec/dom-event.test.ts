import { fromEvent } from '../src/dom-event';

describe('fromEvent (DOM EventTarget only)', () => {
  it('listens exactly while subscribed: each event of the type while subscribed, nothing after', () => {
    const target = new EventTarget();
    const seen: string[] = [];
    const sub = fromEvent<CustomEvent<string>>(target, 'ping').subscribe((e) => seen.push(e.detail));
    target.dispatchEvent(new CustomEvent('ping', { detail: 'one' }));
    target.dispatchEvent(new CustomEvent('other', { detail: 'not this type' }));
    target.dispatchEvent(new CustomEvent('ping', { detail: 'two' }));
    sub.unsubscribe();
    target.dispatchEvent(new CustomEvent('ping', { detail: 'after' }));
    expect(seen).toEqual(['one', 'two']);
  });

  it('adds nothing until subscribed, and each subscription has its own listener', () => {
    const calls: string[] = [];
    const target = {
      addEventListener: (type: string) => calls.push(`add ${type}`),
      removeEventListener: (type: string) => calls.push(`remove ${type}`),
    };
    const clicks$ = fromEvent(target, 'click');
    expect(calls).toEqual([]);
    const a = clicks$.subscribe();
    const b = clicks$.subscribe();
    a.unsubscribe();
    b.unsubscribe();
    expect(calls).toEqual(['add click', 'add click', 'remove click', 'remove click']);
  });
});
