import { initialState, type PeerState } from '../../src/peer/peer-state';
import { reduce } from '../../src/peer/reduce';
import { menuItems, statusText } from '../../src/peer/view-model';
import type { ClientStatus } from '../../src/verto/client-types';

const withPeer = (client: ClientStatus): PeerState => ({
  ...initialState('ann', 'Ann'),
  client,
  peers: { bo: { id: 'bo', name: 'Bo', available: true, seenAt: 0 } },
});

describe('a page whose client stopped for good', () => {
  const stoppedStatuses: [ClientStatus, string][] = [
    [{ kind: 'punted' }, 'Signed in elsewhere. Reload this page to use it here.'],
    [{ kind: 'login-failed', message: 'Authentication Failure' }, 'Login failed: Authentication Failure. Reload the page to try again.'],
    [{ kind: 'closed' }, 'Disconnected'],
  ];

  it.each(stoppedStatuses)('offers no call and says what to do (%j)', (client, text) => {
    const s = withPeer(client);
    expect(menuItems(s)).toEqual([]);
    expect(statusText(s)).toBe(text);
  });

  it.each(stoppedStatuses)('ignores a call click that was already on its way (%j)', (client) => {
    const step = reduce(withPeer(client), { kind: 'place-call', peerId: 'bo', callId: 'c1' }, 5);
    expect(step.state.call).toBeNull();
    expect(step.effects).toEqual([]);
  });

  it('offers the call while online', () => {
    expect(menuItems(withPeer({ kind: 'online' }))).toContainEqual({ kind: 'call', peerId: 'bo', name: 'Bo' });
    expect(reduce(withPeer({ kind: 'online' }), { kind: 'place-call', peerId: 'bo', callId: 'c1' }, 5).state.call?.phase).toBe('offering');
  });

  const offlineStatuses: ClientStatus[] = [
    { kind: 'reconnecting', attempt: 1, retryAt: 9, reason: 'connection lost' },
    { kind: 'connecting', attempt: 2 },
    { kind: 'logging-in' },
  ];
  it.each(offlineStatuses)('while not online (%j) shows peers as offline, not callable, and refuses a call click on its way', (client) => {
    expect(menuItems(withPeer(client))).toEqual([{ kind: 'unreachable', name: 'Bo' }, { kind: 'name', name: 'Ann' }]);
    const step = reduce(withPeer(client), { kind: 'place-call', peerId: 'bo', callId: 'c1' }, 5);
    expect(step.state.call).toBeNull();
    expect(step.effects).toEqual([]);
  });

  it('a call in progress ends when another page takes the login', () => {
    const calling = reduce(withPeer({ kind: 'online' }), { kind: 'place-call', peerId: 'bo', callId: 'c1' }, 5).state;
    const punted = reduce(calling, { kind: 'client', status: { kind: 'punted' } }, 6);
    expect(punted.state.call).toBeNull();
    expect(menuItems(punted.state)).toEqual([]);
    expect(statusText(punted.state)).toBe('Signed in elsewhere. Reload this page to use it here.');
  });
});

describe('the 30 s connect deadline', () => {
  const at30s = 30_000;
  const withCall = (phase: 'accepting' | 'connecting', client: ClientStatus): PeerState => ({
    ...withPeer(client),
    call: { phase, callId: 'c1', peerId: 'bo', peerName: 'Bo', since: 0, offerSent: true },
  });

  it('blames the network path when both sides agreed and signalling works', () => {
    const step = reduce(withCall('connecting', { kind: 'online' }), { kind: 'clock' }, at30s);
    expect(step.state.call).toBeNull();
    expect(statusText(step.state)).toBe('Could not connect to Bo: no network path between you; a relay (TURN) server may be needed');
  });

  it('says no more than it knows while the media was not ready or signalling was down', () => {
    expect(statusText(reduce(withCall('accepting', { kind: 'online' }), { kind: 'clock' }, at30s).state)).toBe('Could not connect to Bo');
    const offline: ClientStatus = { kind: 'reconnecting', attempt: 1, retryAt: at30s + 500, reason: 'connection lost' };
    expect(reduce(withCall('connecting', offline), { kind: 'clock' }, at30s).state.notice?.text).toBe('Could not connect to Bo');
  });
});
