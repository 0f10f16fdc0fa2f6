import { grant, isPermitted, splitPermissionValue } from '../../server/permission-list';

describe('mod_verto permission lists (jsonrpc-allowed-methods, jsonrpc-allowed-event-channels)', () => {
  it('splits on commas, or on spaces as soon as the value holds one (commas then stay inside items)', () => {
    expect(splitPermissionValue('a,b,,c')).toEqual(['a', 'b', 'c']);
    expect(splitPermissionValue('a, b,c')).toEqual(['a,', 'b,c']);
    expect(splitPermissionValue('a,b c')).toEqual(['a,b', 'c']);
    expect(splitPermissionValue('')).toEqual([]);
  });

  it('allows a name when it or its main part before the first dot is listed, ignoring case', () => {
    const verto = grant(undefined, 'verto');
    expect(isPermitted(verto, 'verto.subscribe')).toBe(true);
    expect(isPermitted(verto, 'verto.invite')).toBe(true);
    expect(isPermitted(verto, 'echo')).toBe(false);
    expect(isPermitted(grant(undefined, 'room'), 'room.sub')).toBe(true);
    expect(isPermitted(grant(undefined, 'ROOM'), 'room')).toBe(true);
    expect(isPermitted(grant(undefined, 'room'), 'roomx')).toBe(false);
  });

  it('grants exactly the listed methods of the locked-down directory: verto.invite is refused', () => {
    const locked = grant(undefined, 'verto.subscribe,verto.broadcast,verto.info,verto.ping');
    for (const method of ['verto.subscribe', 'verto.broadcast', 'verto.info', 'verto.ping']) expect(isPermitted(locked, method)).toBe(true);
    for (const method of ['verto.invite', 'verto.unsubscribe', 'verto', 'echo']) expect(isPermitted(locked, method)).toBe(false);
  });

  it('treats only the whole value __ANY__ as no restriction; an absent param allows nothing', () => {
    expect(isPermitted(grant(undefined, '__ANY__'), 'anything.at.all')).toBe(true);
    expect(isPermitted(grant(undefined, '__any__'), 'anything')).toBe(true);
    expect(isPermitted(grant(undefined, 'room,__ANY__'), 'anything')).toBe(false);
    expect(isPermitted(grant(undefined, ''), 'room')).toBe(false);
  });

  it('adds a second login’s names to the first’s; __ANY__ on a later login changes nothing, a list after __ANY__ restricts', () => {
    const both = grant(grant(undefined, 'room-a'), 'room-b');
    expect(['room-a', 'room-b'].map((c) => isPermitted(both, c))).toEqual([true, true]);
    expect(isPermitted(grant(grant(undefined, 'room-a'), '__ANY__'), 'room-b')).toBe(false);
    const restricted = grant(grant(undefined, '__ANY__'), 'room-a');
    expect([isPermitted(restricted, 'room-a'), isPermitted(restricted, 'room-b')]).toEqual([true, false]);
    expect(isPermitted(grant(grant(undefined, '__ANY__'), ''), 'room-a')).toBe(false);
  });
});
