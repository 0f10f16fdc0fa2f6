import { marbles } from 'rxjs-marbles/jest';
import type { PeerEvent, PeerState } from '../../src/peer/peer-state';
import { reduce } from '../../src/peer/reduce';
import { callDuration, formatDuration, statusText } from '../../src/peer/view-model';
import { msg, onlineWithBo, presence, runHarness, withCall, type Sources } from './harness';

const at = (s: PeerState, t: number, ...events: PeerEvent[]) => events.reduce((acc, e) => reduce(acc, e, t).state, s);
const rtc = (state: 'connected' | 'reconnecting'): PeerEvent => ({ kind: 'rtc-state', callId: 'c1', state });
const toggleSelfView: PeerEvent = { kind: 'intent', intent: { kind: 'toggle-self-view' } };

/** Ann calls Bo at 20 (and again at 500 when `twice`), Bo accepts 80 ms later, each call's media connects 150 ms after its start. */
const callsToBo = (m: Parameters<typeof runHarness>[0], intents: Sources['intents'] = [], state = '150ms c', twice = false, until = 6_000) =>
  runHarness(m, {
    presence: [[10, presence('bo', 'available', 'Bo')]],
    intents: [[20, { kind: 'call', peerId: 'bo' }], ...(intents ?? [])],
    messages: (twice ? ['call-1', 'call-2'] : ['call-1']).map((callId, i) => [100 + i * 500, msg('bo', { peerAction: 'accept', peerName: 'Bo', callId })] as const),
    connections: twice ? [{ state }, { state }] : [{ state }],
    until,
  });

describe('call duration (view-model)', () => {
  it('m:ss under an hour, h:mm:ss from an hour on; never negative', () => {
    expect([0, 999, 1_000, 59_999, 60_000, 187_400, 3_599_999].map(formatDuration)).toEqual(['0:00', '0:00', '0:01', '0:59', '1:00', '3:07', '59:59']);
    expect([3_600_000, 3_661_000, 36_000_000 + 5_000].map(formatDuration)).toEqual(['1:00:00', '1:01:01', '10:00:05']);
    expect(formatDuration(-5_000)).toBe('0:00'); // a clock that stepped back
  });

  it('only while connected, counted from the first connect: an interruption and its recovery do not restart it', () => {
    expect(callDuration(onlineWithBo(), 5_000)).toBeNull();
    for (const phase of ['offering', 'ringing', 'accepting', 'connecting'] as const) expect(callDuration(withCall(phase), 5_000)).toBeNull();
    const connected = at(withCall('connecting', { since: 100 }), 1_000, rtc('connected'));
    expect(callDuration(connected, 188_000)).toBe('3:07');
    const interrupted = at(connected, 60_000, rtc('reconnecting'));
    expect(callDuration(interrupted, 61_000)).toBe('1:00'); // still counting while media is restored
    const back = at(interrupted, 70_000, rtc('connected'));
    expect(callDuration(back, 3_601_000)).toBe('1:00:00');
    // The status text itself does not carry it (it is set apart from the status, which is a live region).
    expect(statusText(back, 3_601_000)).toBe('In a call with Bo');
  });
});

describe('self-view hidden (reduce)', () => {
  it('the intent flips it, in or out of a call, and a call ending keeps it', () => {
    expect(onlineWithBo().selfViewHidden).toBe(false);
    const hidden = at(withCall('connected'), 1, toggleSelfView);
    expect(hidden.selfViewHidden).toBe(true);
    const ended = at(hidden, 2, { kind: 'intent', intent: { kind: 'hangup' } });
    expect(ended.call).toBeNull();
    expect(ended.selfViewHidden).toBe(true);
    expect(at(ended, 3, toggleSelfView).selfViewHidden).toBe(false);
  });
});

describe('call duration and self-view (Peer, virtual time)', () => {
  it(
    'the duration advances each whole second of the call, not reset by an interruption, without rewriting the status; gone at hang-up',
    marbles((m) => {
      // Connected at 170, interrupted at 2 520, back at 3 020 (frames: 1 ms each); a state change mid-second at 1 500.
      const intents = [[1_500, { kind: 'toggle-mic' }], [4_600, { kind: 'hangup' }]] as const;
      const h = callsToBo(m, intents, '150ms c 2349ms r 499ms c');
      h.flush();
      expect(h.durations).toEqual([
        [0, null],
        [170, '0:00'],
        [1_170, '0:01'],
        [2_170, '0:02'],
        [3_170, '0:03'],
        [4_170, '0:04'],
        [4_600, null],
      ]);
      // Each status once, when it changed: the ticking duration never re-set it.
      expect(h.statuses().filter(([t]) => t >= 170)).toEqual([
        [170, 'In a call with Bo'],
        [2_520, 'Reconnecting to Bo…'],
        [3_020, 'In a call with Bo'],
        [4_600, 'Online'],
      ]);
    }),
  );

  it(
    'the self-view choice reaches the View at once and holds into the next call',
    marbles((m) => {
      const h = callsToBo(
        m,
        [[300, { kind: 'toggle-self-view' }], [400, { kind: 'hangup' }], [500, { kind: 'call', peerId: 'bo' }], [900, { kind: 'toggle-self-view' }]],
        '150ms c',
        true,
        1_000,
      );
      h.flush();
      expect(h.selfViewHidden).toEqual([
        [0, false],
        [300, true],
        [900, false],
      ]);
      expect(h.log.filter(([, t]) => t.startsWith('self-view '))).toEqual([
        [20, 'self-view conn0-stream'],
        [400, 'self-view none'],
        [500, 'self-view conn1-stream'],
        [1_000, 'self-view none'],
      ]);
    }),
  );
});
