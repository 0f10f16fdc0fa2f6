import { initialState, type Call, type PeerEvent, type PeerState } from '../../src/peer/peer-state';
import { nextDeadline, reduce } from '../../src/peer/reduce';
import { clientText, dialog, inCall, menuItems, statusText } from '../../src/peer/view-model';

const base = (): PeerState => ({
  ...initialState('ann', 'Ann'),
  client: { kind: 'online' },
  peers: { bo: { id: 'bo', name: 'Bo', available: true, seenAt: 0 } },
});
const call = (phase: Call['phase'], extra: Partial<Call> = {}): Call => ({
  phase, callId: 'c1', peerId: 'bo', peerName: 'Bo', since: 0, offerSent: true, ...extra,
});
const withCall = (phase: Call['phase'], extra: Partial<Call> = {}): PeerState => ({ ...base(), call: call(phase, extra) });
const kinds = (s: ReturnType<typeof reduce>) => s.effects.map((e) => (e.kind === 'send' ? `send ${JSON.stringify(e.message.peerAction ?? e.message.peerStatus)} ${JSON.stringify(e.message.reason ?? '')}` : e.kind));

describe('reduce (pure)', () => {
  it('media without a camera: the call goes on audio-only and its status says why there is no picture', () => {
    const accepting = reduce(withCall('accepting'), { kind: 'media-ready', callId: 'c1', audioOnly: 'no-camera' }, 1).state;
    expect(accepting.call).toMatchObject({ phase: 'connecting', audioOnly: 'no-camera' });
    expect(statusText(accepting, 1)).toBe('Connecting to Bo… (audio only: no camera found)');
    expect(statusText({ ...accepting, call: { ...accepting.call!, phase: 'connected' } }, 1)).toBe('In a call with Bo (audio only: no camera found)');
    const offering = reduce(withCall('offering', { offerSent: false }), { kind: 'media-ready', callId: 'c1', audioOnly: 'no-camera' }, 1).state;
    expect(statusText(offering, 1)).toBe('Calling Bo… (audio only: no camera found)');
    const withCamera = reduce(withCall('accepting'), { kind: 'media-ready', callId: 'c1' }, 1).state;
    expect(statusText({ ...withCamera, call: { ...withCamera.call!, phase: 'connected' } }, 1)).toBe('In a call with Bo');
  });

  it('leaving: ringing → rejected, unsent offer → nothing, in a call → hangup; then disconnect', () => {
    expect(kinds(reduce(withCall('ringing'), { kind: 'leave' }, 5))).toEqual(['send "close" "rejected"', 'disconnect']);
    expect(kinds(reduce(withCall('offering', { offerSent: false }), { kind: 'leave' }, 5))).toEqual(['disconnect']);
    expect(kinds(reduce(withCall('offering'), { kind: 'leave' }, 5))).toEqual(['send "close" "cancelled"', 'disconnect']);
    expect(kinds(reduce(withCall('connected'), { kind: 'leave' }, 5))).toEqual(['send "close" "hangup"', 'disconnect']);
    expect(kinds(reduce(base(), { kind: 'leave' }, 5))).toEqual(['disconnect']);
  });

  it('keepalive: refreshes presence always (busy in a call, so nobody drops us while we talk) and re-sends an open offer', () => {
    const published = (s: PeerState) => reduce(s, { kind: 'keepalive' }, 1).effects.flatMap((e) => (e.kind === 'publish' ? [e.presence.status] : []));
    expect(published(base())).toEqual(['available']);
    expect(published(withCall('ringing'))).toEqual(['available']);
    expect(published(withCall('connected'))).toEqual(['unavailable']);
    expect(kinds(reduce(withCall('offering'), { kind: 'keepalive' }, 1))).toEqual(['publish', 'send "offer" ""']);
    expect(kinds(reduce(withCall('offering', { offerSent: false }), { kind: 'keepalive' }, 1))).toEqual(['publish']);
  });

  it('`ready` from a peer: drops its stale ringing offer, re-sends our open offer, keeps a running call; anyone else is told our status', () => {
    const ready: PeerEvent = { kind: 'presence', from: 'bo', status: 'ready', name: 'Bo' };
    const ringingDropped = reduce(withCall('ringing'), ready, 1);
    expect(ringingDropped.state.call).toBeNull();
    expect(kinds(ringingDropped)).toEqual(['send "available" ""']); // idle again: callable
    // our presence (busy) before the re-sent offer: a peer that dropped us during an outage knows us again
    expect(kinds(reduce(withCall('offering'), ready, 1))).toEqual(['send "unavailable" ""', 'send "offer" ""']);
    const inCallWithBo = reduce(withCall('connected'), ready, 1);
    expect(inCallWithBo.state.call?.phase).toBe('connected');
    expect(inCallWithBo.effects).toEqual([]);
    // A newcomer learns about us from us: busy while we are in a call with someone else, callable while ringing.
    expect(reduce(withCall('connected', { peerId: 'cy' }), ready, 1).effects).toEqual([{ kind: 'send', to: 'bo', message: { peerStatus: 'unavailable', peerName: 'Ann' } }]);
    expect(reduce(withCall('ringing', { peerId: 'cy' }), ready, 1).effects).toEqual([{ kind: 'send', to: 'bo', message: { peerStatus: 'available', peerName: 'Ann' } }]);
    expect(reduce(base(), ready, 1).effects).toEqual([{ kind: 'send', to: 'bo', message: { peerStatus: 'available', peerName: 'Ann' } }]);
  });

  it('a busy answer to our `ready` lists the peer as busy, not callable', () => {
    const busy: PeerEvent = { kind: 'message', from: 'cy', message: { kind: 'presence', status: 'unavailable', name: 'Cy' } };
    const next = reduce(base(), busy, 1).state;
    expect(menuItems(next)).toEqual([{ kind: 'call', peerId: 'bo', name: 'Bo' }, { kind: 'busy', name: 'Cy' }, { kind: 'name', name: 'Ann' }]);
    expect(reduce(next, { kind: 'place-call', peerId: 'cy', callId: 'c2' }, 2).state.call).toBeNull();
  });

  it('ignores its own presence and `gone` of strangers', () => {
    expect(reduce(base(), { kind: 'presence', from: 'ann', status: 'available' }, 1).state).toEqual(base());
    expect(reduce(withCall('connected'), { kind: 'presence', from: 'zed', status: 'gone' }, 1).state.call?.phase).toBe('connected');
  });

  it('a punted or refused client ends the call; other status changes keep it', () => {
    expect(reduce(withCall('connected'), { kind: 'client', status: { kind: 'punted' } }, 1).state.call).toBeNull();
    expect(reduce(withCall('connected'), { kind: 'client', status: { kind: 'login-failed', message: 'x' } }, 1).state.call).toBeNull();
    expect(reduce(withCall('connected'), { kind: 'client', status: { kind: 'closed' } }, 1).state.call).not.toBeNull();
  });

  it('connection states: reconnecting interrupts a connected call (kept, Hang up still there), a failure ends the call with its reason, other calls’ events are ignored', () => {
    const interrupted = reduce(withCall('connected'), { kind: 'rtc-state', callId: 'c1', state: 'reconnecting' }, 1).state;
    expect(interrupted.call).toMatchObject({ phase: 'connected', interrupted: true });
    expect(statusText(interrupted)).toBe('Reconnecting to Bo…');
    expect(menuItems(interrupted)).toEqual([{ kind: 'hangup' }]);
    const resumed = reduce(interrupted, { kind: 'rtc-state', callId: 'c1', state: 'connected' }, 2).state;
    expect(statusText(resumed)).toBe('In a call with Bo');
    // Before media ever flowed, a restart is still part of connecting.
    const settingUp = reduce(withCall('connecting'), { kind: 'rtc-state', callId: 'c1', state: 'reconnecting' }, 1).state;
    expect(statusText(settingUp)).toBe('Connecting to Bo…');
    expect(reduce(withCall('connecting'), { kind: 'rtc-state', callId: 'old', state: 'connected' }, 1).state.call?.phase).toBe('connecting');
    expect(kinds(reduce(withCall('connected'), { kind: 'rtc-error', callId: 'c1', reason: 'negotiation' }, 1))).toEqual(['send "close" "failed"', 'publish']);
    expect(reduce(withCall('connected'), { kind: 'rtc-error', callId: 'old', reason: 'ice-failed' }, 1).state.call).not.toBeNull();
    expect(reduce(withCall('connected'), { kind: 'media-ready', callId: 'c1' }, 1).effects).toEqual([]);
    const failed = reduce(withCall('connecting'), { kind: 'rtc-error', callId: 'c1', reason: 'ice-failed' }, 1);
    expect(statusText(failed.state)).toBe('Could not connect to Bo: no network path between you; a relay (TURN) server may be needed');
    const lost = reduce(withCall('connected', { interrupted: true }), { kind: 'rtc-error', callId: 'c1', reason: 'connection-lost' }, 1);
    expect(kinds(lost)).toEqual(['send "close" "lost"', 'publish']);
    expect(statusText(lost.state)).toBe('Lost the connection to Bo for 60 s');
  });

  it('connection quality: said in words only while poor, dropped when good again; interrupted says reconnecting instead; other calls’ readings are ignored', () => {
    const poor = (reason: 'high-delay' | 'packet-loss' | 'no-frames' | null, from = withCall('connected')) => reduce(from, { kind: 'rtc-quality', callId: 'c1', poor: reason }, 1).state;
    expect(statusText(poor('high-delay'))).toBe('In a call with Bo — poor connection (high delay)');
    expect(statusText(poor('packet-loss'))).toBe('In a call with Bo — poor connection (packets lost)');
    expect(statusText(poor('no-frames'))).toBe('In a call with Bo — poor connection (no picture arriving)');
    expect(statusText(poor(null, poor('high-delay')))).toBe('In a call with Bo');
    expect(poor(null)).toEqual(withCall('connected')); // good and already good: nothing changes
    expect(statusText(poor('high-delay', withCall('connected', { interrupted: true })))).toBe('Reconnecting to Bo…');
    expect(reduce(withCall('connected'), { kind: 'rtc-quality', callId: 'old', poor: 'high-delay' }, 1).state).toEqual(withCall('connected'));
  });

  it('refuses intents that do not fit the phase', () => {
    const idle = base();
    for (const intent of ['accept', 'decline', 'cancel', 'hangup', 'call'] as const) {
      const e: PeerEvent = { kind: 'intent', intent: intent === 'call' ? { kind: 'call', peerId: 'bo' } : { kind: intent } };
      expect(reduce(idle, e, 1)).toEqual({ state: idle, effects: [] });
    }
    expect(reduce(withCall('ringing'), { kind: 'intent', intent: { kind: 'hangup' } }, 1).state.call?.phase).toBe('ringing');
    expect(reduce(withCall('connected'), { kind: 'place-call', peerId: 'bo', callId: 'c2' }, 1).state.call?.callId).toBe('c1');
    expect(reduce(base(), { kind: 'place-call', peerId: 'nobody', callId: 'c2' }, 1).state.call).toBeNull();
    const busyBo = { ...base(), peers: { bo: { id: 'bo', name: 'Bo', available: false, seenAt: 0 } } };
    expect(reduce(busyBo, { kind: 'place-call', peerId: 'bo', callId: 'c2' }, 1).state.call).toBeNull();
    expect(reduce(withCall('offering', { offerSent: false }), { kind: 'intent', intent: { kind: 'cancel' } }, 1).effects.map((e) => e.kind)).toEqual(['publish']);
  });

  it('a re-sent offer for the ringing call is the same call; a new callId from the same peer replaces it', () => {
    const ringing = withCall('ringing');
    const again = reduce(ringing, { kind: 'message', from: 'bo', message: { kind: 'offer', callId: 'c1' } }, 5);
    expect(again.state.call?.since).toBe(0);
    const replaced = reduce(ringing, { kind: 'message', from: 'bo', message: { kind: 'offer', callId: 'c2', name: 'Bo' } }, 5);
    expect(replaced.state.call?.callId).toBe('c2');
  });

  it('accept in the wrong phase is ignored; signals are not the reducer’s business (the call’s media gets them)', () => {
    expect(reduce(withCall('connected'), { kind: 'message', from: 'bo', message: { kind: 'accept', callId: 'c1' } }, 1).effects).toEqual([]);
    expect(reduce(withCall('offering', { offerSent: false }), { kind: 'message', from: 'bo', message: { kind: 'accept', callId: 'c1' } }, 1).state.call?.phase).toBe('offering');
    const sig: PeerEvent = { kind: 'message', from: 'bo', message: { kind: 'signal', callId: 'c1', signal: { kind: 'candidate', candidate: null } } };
    for (const phase of ['ringing', 'offering', 'accepting', 'connecting'] as const) {
      const s = withCall(phase);
      expect(reduce(s, sig, 1)).toEqual({ state: s, effects: [] });
    }
  });

  it('media flowing before the accept arrives (the relay reordered them) counts as accepted and connected', () => {
    const next = reduce(withCall('offering'), { kind: 'rtc-state', callId: 'c1', state: 'connected' }, 9).state;
    expect(next.call).toMatchObject({ phase: 'connected', since: 9 });
    expect(reduce(next, { kind: 'message', from: 'bo', message: { kind: 'accept', callId: 'c1' } }, 10).state.call?.phase).toBe('connected');
    expect(reduce(withCall('offering', { offerSent: false }), { kind: 'rtc-state', callId: 'c1', state: 'connected' }, 9).state.call?.phase).toBe('offering');
  });

  it('the clock: drops stale peers and a faded notice; a connected call has no deadline', () => {
    const s: PeerState = { ...withCall('connected'), notice: { text: 'x', until: 100 } };
    expect(nextDeadline(s)).toBe(100);
    const later = reduce(s, { kind: 'clock' }, 60_000).state;
    expect(later.peers).toEqual({});
    expect(later.notice).toBeNull();
    expect(later.call?.phase).toBe('connected');
    expect(nextDeadline({ ...later })).toBeNull();
    expect(nextDeadline({ ...withCall('connecting', { since: 7 }), peers: {} })).toBe(30_007);
    expect(reduce(withCall('ringing'), { kind: 'clock' }, 10).state.call?.phase).toBe('ringing');
  });

  it('is exhaustive: an unknown event kind is a programming error', () => {
    expect(() => reduce(base(), { kind: 'bogus' } as unknown as PeerEvent, 1)).toThrow('unhandled event');
  });
});

describe('view model', () => {
  it('words every client status', () => {
    expect(clientText({ kind: 'connecting', attempt: 0 }, 0)).toBe('Connecting…');
    expect(clientText({ kind: 'connecting', attempt: 2 }, 0)).toBe('Connection lost — reconnecting…');   // a retry at once after a loss
    expect(clientText({ kind: 'online' }, 0)).toBe('Online');
    expect(clientText({ kind: 'reconnecting', attempt: 2, retryAt: 12_500, reason: 'x' }, 0)).toBe('Connection lost — reconnecting in 13 s…');
    expect(clientText({ kind: 'reconnecting', attempt: 2, retryAt: 0, reason: 'x' }, 10)).toBe('Connection lost — reconnecting…');
    expect(clientText({ kind: 'login-failed', message: 'Authentication Failure' }, 0)).toBe('Login failed: Authentication Failure. Reload the page to try again.');
    expect(clientText({ kind: 'punted' }, 0)).toBe('Signed in elsewhere. Reload this page to use it here.');
    expect(clientText({ kind: 'closed' }, 0)).toBe('Disconnected');
  });

  it('the status, menu and dialog of each phase', () => {
    expect(statusText(withCall('ringing'))).toBe('Bo is calling');
    expect(dialog(withCall('ringing'))).toEqual({ kind: 'incoming', name: 'Bo' });
    expect(statusText(withCall('accepting'))).toBe('Connecting to Bo…');
    expect(menuItems(withCall('offering'))).toEqual([{ kind: 'cancel' }]);
    expect(menuItems(withCall('connecting'))).toEqual([{ kind: 'hangup' }]);
    expect(inCall(withCall('connecting'))).toBe(true);
    expect(inCall(withCall('offering'))).toBe(false);
    expect(statusText({ ...base(), client: { kind: 'punted' } })).toBe('Signed in elsewhere. Reload this page to use it here.');
    expect(dialog({ ...base(), editingName: true })).toEqual({ kind: 'name-form', name: 'Ann' });
  });

  it('sorts peers by name, then id', () => {
    const s: PeerState = {
      ...base(),
      peers: {
        b2: { id: 'b2', name: 'Bo', available: true, seenAt: 0 },
        b1: { id: 'b1', name: 'Bo', available: true, seenAt: 0 },
        a: { id: 'a', name: 'Al', available: true, seenAt: 0 },
      },
    };
    expect(menuItems(s).map((i) => (i.kind === 'call' ? i.peerId : i.kind))).toEqual(['a', 'b1', 'b2', 'name']);
  });
});
