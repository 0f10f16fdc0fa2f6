import { SessionRegistry } from '../../server/session-registry';

type S = { readonly name: string };
const EMPTY = { sessions: 0, sessids: 0, logins: 0, channels: 0 };

/** One session bound, logged in and subscribed to two channels, and one more in one of them. */
function populated(): { registry: SessionRegistry<S>; a: S; b: S } {
  const registry = new SessionRegistry<S>();
  const [a, b] = [{ name: 'a' }, { name: 'b' }];
  registry.bindSessid(a, 'sess-a');
  registry.setLogin(a, 'alice@d');
  registry.subscribe(a, 'c1');
  registry.subscribe(a, 'c2');
  registry.bindSessid(b, 'sess-b');
  registry.setLogin(b, 'bob@d');
  registry.subscribe(b, 'c1');
  return { registry, a, b };
}

describe('the session registry: a removed session leaves every index', () => {
  it('finds sessions by sessid, by login and by channel', () => {
    const { registry, a, b } = populated();
    expect(registry.holderOf('sess-a')).toBe(a);
    expect(registry.sessionsOf('alice@d')).toEqual([a]);
    expect(registry.subscribersOf('c1')).toEqual([a, b]);
    expect(registry.logins()).toEqual(['alice@d', 'bob@d']);
    expect(registry.sizes()).toEqual({ sessions: 2, sessids: 2, logins: 2, channels: 2 });
  });

  it('forgets a removed session by sessid, by login and in every channel, and keeps the others', () => {
    const { registry, a, b } = populated();
    registry.remove(a);
    expect(registry.holderOf('sess-a')).toBeUndefined();
    expect(registry.sessionsOf('alice@d')).toEqual([]);
    expect(registry.subscribersOf('c1')).toEqual([b]);
    expect(registry.subscribersOf('c2')).toEqual([]);
    expect(registry.isSubscribed(a, 'c1')).toBe(false);
    expect(registry.sizes()).toEqual({ sessions: 1, sessids: 1, logins: 1, channels: 1 });
    registry.remove(b);
    expect(registry.sizes()).toEqual(EMPTY);
    registry.remove(b);
    expect(registry.sizes()).toEqual(EMPTY);
  });

  it('keeps a user’s other session on the login when one of two leaves', () => {
    const registry = new SessionRegistry<S>();
    const [one, two] = [{ name: 'one' }, { name: 'two' }];
    registry.setLogin(one, 'alice@d');
    registry.setLogin(two, 'alice@d');
    registry.remove(one);
    expect(registry.sessionsOf('alice@d')).toEqual([two]);
  });

  it('lets a punted session leave without unbinding the sessid its successor holds', () => {
    const registry = new SessionRegistry<S>();
    const [old, fresh] = [{ name: 'old' }, { name: 'new' }];
    registry.bindSessid(old, 'shared');
    registry.bindSessid(fresh, 'shared');
    expect(registry.holderOf('shared')).toBe(fresh);
    registry.remove(old);
    expect(registry.holderOf('shared')).toBe(fresh);
  });

  it('moves a session that logs in as another user, leaving no empty login behind', () => {
    const { registry, a } = populated();
    registry.setLogin(a, 'xavier@d');
    expect(registry.sessionsOf('alice@d')).toEqual([]);
    expect(registry.sessionsOf('xavier@d')).toEqual([a]);
    expect(registry.logins()).toEqual(['bob@d', 'xavier@d']);
  });

  it('unsubscribes one channel, leaving no empty channel behind, and answers false for what it does not hold', () => {
    const { registry, a, b } = populated();
    expect(registry.subscribe(a, 'c1')).toBe(false);
    expect(registry.unsubscribe(a, 'c2')).toBe(true);
    expect(registry.unsubscribe(a, 'c2')).toBe(false);
    expect(registry.unsubscribe({ name: 'stranger' }, 'c1')).toBe(false);
    expect(registry.subscribersOf('c2')).toEqual([]);
    expect(registry.sizes().channels).toBe(1);
    expect(registry.subscribersOf('c1')).toEqual([a, b]);
  });

  it('counts eventSerno per subscription from 0, and again from 0 after a resubscribe', () => {
    const { registry, a, b } = populated();
    expect([registry.nextSerno(a, 'c1'), registry.nextSerno(a, 'c1'), registry.nextSerno(b, 'c1'), registry.nextSerno(a, 'c2')]).toEqual([0, 1, 0, 0]);
    registry.unsubscribe(a, 'c1');
    registry.subscribe(a, 'c1');
    expect(registry.nextSerno(a, 'c1')).toBe(0);
  });
});
