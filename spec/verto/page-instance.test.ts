import { admitPresence, classifyOwnLogin, formatPage, isNewer, parsePage, type NewestPages } from '../../src/verto/page-instance';
import type { PresenceEvent } from '../../src/verto/client-types';

const page = (since: number, id: string) => ({ since, id });

describe('page instance', () => {
  it('round-trips the wire form and rejects anything else', () => {
    expect(parsePage(formatPage(page(1733000000000, 'ab-12')))).toEqual(page(1733000000000, 'ab-12'));
    for (const bad of [undefined, null, 5, '', '123', 'x.abc', '1.', '1.a b', '1.a|b', `1.${'a'.repeat(65)}`, '1234567890123456.a', '-1.a']) {
      expect(parsePage(bad)).toBeUndefined();
    }
  });

  it('orders pages by start time, then by id, so both pages agree', () => {
    expect(isNewer(page(2, 'a'), page(1, 'z'))).toBe(true);
    expect(isNewer(page(1, 'z'), page(2, 'a'))).toBe(false);
    expect(isNewer(page(1, 'b'), page(1, 'a'))).toBe(true);
    expect(isNewer(page(1, 'a'), page(1, 'b'))).toBe(false);
    expect(isNewer(page(1, 'a'), page(1, 'a'))).toBe(false);
  });

  it('tells our echo, a newer page and an older page apart', () => {
    const ours = page(10, 'me');
    expect(classifyOwnLogin(ours, undefined)).toBe('echo');
    expect(classifyOwnLogin(ours, page(10, 'me'))).toBe('echo');
    expect(classifyOwnLogin(ours, page(11, 'aa'))).toBe('superseded');
    expect(classifyOwnLogin(ours, page(9, 'zz'))).toBe('older-page');
  });
});

describe('admitPresence', () => {
  const run = (events: PresenceEvent[]): boolean[] => {
    let newest: NewestPages = new Map();
    return events.map((e) => {
      const step = admitPresence(newest, e);
      newest = step.newest;
      return step.admit;
    });
  };

  it('drops presence of an older page of a login once a newer one was seen', () => {
    expect(
      run([
        { from: 'bob', status: 'ready', name: 'Old', page: page(1, 'a') },
        { from: 'bob', status: 'ready', name: 'New', page: page(2, 'b') },
        { from: 'bob', status: 'available', name: 'Old', page: page(1, 'a') },
        { from: 'bob', status: 'available', name: 'New', page: page(2, 'b') },
        { from: 'carol', status: 'available', page: page(1, 'a') }, // another login is unaffected
      ]),
    ).toEqual([true, true, false, true, true]);
  });

  it('lets presence without a page through, and forgets a page that said gone', () => {
    expect(
      run([
        { from: 'bob', status: 'ready', page: page(5, 'a') },
        { from: 'bob', status: 'available' },
        { from: 'bob', status: 'gone', page: page(5, 'a') },
        { from: 'bob', status: 'ready', page: page(3, 'a') },
      ]),
    ).toEqual([true, true, true, true]);
  });

  it('keeps at most 1000 logins, forgetting the oldest first', () => {
    let newest: NewestPages = new Map();
    for (let i = 0; i < 1001; i++) newest = admitPresence(newest, { from: `u${i}`, status: 'available', page: page(9, 'x') }).newest;
    expect(newest.size).toBe(1000);
    expect(newest.has('u0')).toBe(false);
    expect(newest.has('u1000')).toBe(true);
  });
});
