import { marbles } from 'rxjs-marbles/jest';
import { RtcError } from '../../src/rtc/connection-types';
import { msg, presence, runHarness } from './harness';

const bo = presence('bo', 'available', 'Bo');

describe('Peer call flow (virtual time, 1 frame = 1 ms)', () => {
  it(
    'offer → accept → connected → hang up',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        intents: [
          [20, { kind: 'call', peerId: 'bo' }],
          [300, { kind: 'hangup' }],
        ],
        messages: [
          [100, msg('bo', { peerAction: 'accept', peerName: 'Bo', callId: 'call-1' })],
          [130, msg('bo', { peerAction: 'description', callId: 'call-1', description: { type: 'answer', sdp: 'v=0 theirs' } })],
          [131, msg('bo', { peerAction: 'candidate', callId: 'call-1', candidate: { candidate: 'candidate:2 theirs', sdpMid: '0', sdpMLineIndex: 0 } })],
        ],
        connections: [{ media: '5ms m', signals: '100ms o', state: '150ms c', remote: '150ms s' }],
        until: 1000,
      });
      h.flush();
      expect(h.sent()).toEqual([
        [25, 'send bo offer call-1'],
        [120, 'send bo description call-1 offer'],
        [300, 'send bo close call-1 hangup'],
      ]);
      expect(h.published()).toEqual([
        [0, 'publish available Ann'],
        [25, 'publish unavailable Ann'],
        [300, 'publish available Ann'],
      ]);
      expect(h.conn()).toEqual([
        [20, 'conn0 created polite'],
        [130, 'conn0 receive description answer'],
        [131, 'conn0 receive candidate'],
        [300, 'conn0 close'],
      ]);
      expect(h.statuses()).toEqual([
        [0, 'Connecting…'],
        [0, 'Online'],
        [20, 'Calling Bo…'],
        [100, 'Connecting to Bo…'],
        [170, 'In a call with Bo'],
        [300, 'Online'],
      ]);
      expect(h.log.filter(([, t]) => t.startsWith('video'))).toEqual([
        [25, 'video cover muted'],
        [170, 'video contain'],
        [300, 'video poster'],
      ]);
      expect(h.menus.at(-1)).toEqual([{ kind: 'call', peerId: 'bo', name: 'Bo' }, { kind: 'name', name: 'Ann' }]);
      // The client watches its socket closely from placing the call to its end.
      expect(h.inCall).toEqual([[0, false], [20, true], [300, false]]);
    }),
  );
});

const offerFrom = (from: string, callId: string, peerName = from.toUpperCase()) => msg(from, { peerAction: 'offer', peerName, callId });
const closeFrom = (from: string, callId: string, reason: string) => msg(from, { peerAction: 'close', peerName: from, callId, reason });
const connected = { media: '5ms m', state: '50ms c' };

describe('Peer: declining, rescinding, busy, timeouts', () => {
  it(
    'incoming offer → Decline sends close/rejected and never touches the camera',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        messages: [[20, offerFrom('bo', 'call-b', 'Bo')]],
        intents: [[50, { kind: 'decline' }]],
      });
      h.flush();
      expect(h.log.filter(([, t]) => t.startsWith('dialog'))).toEqual([
        [0, 'dialog none'],
        [20, 'dialog incoming Bo'],
        [50, 'dialog none'],
      ]);
      expect(h.sent()).toEqual([[50, 'send bo close call-b rejected']]);
      expect(h.statuses().slice(-2)).toEqual([
        [20, 'Bo is calling'],
        [50, 'Online'],
      ]);
      expect(h.conn()).toEqual([]);
    }),
  );

  it(
    'outgoing offer → the callee declines: status says so, media released, available again',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [[90, closeFrom('bo', 'call-1', 'rejected')]],
      });
      h.flush();
      expect(h.sent()).toEqual([[20, 'send bo offer call-1']]);
      expect(h.conn()).toEqual([
        [20, 'conn0 created polite'],
        [90, 'conn0 close'],
      ]);
      expect(h.statuses().filter(([t]) => t >= 90)[0]).toEqual([90, 'Bo declined the call']);
      expect(h.statuses().at(-1)).toEqual([10_090, 'Online']); // the notice fades after 10 s
      expect(h.published().filter(([t]) => t === 90)).toEqual([[90, 'publish available Ann']]);
    }),
  );

  it(
    'busy and timed-out answers read differently',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        intents: [
          [20, { kind: 'call', peerId: 'bo' }],
          [200, { kind: 'call', peerId: 'bo' }],
        ],
        messages: [
          [90, closeFrom('bo', 'call-1', 'busy')],
          [290, closeFrom('bo', 'call-2', 'timeout')],
        ],
      });
      h.flush();
      expect(h.statuses().filter(([, t]) => /busy|answer/.test(t))).toEqual([
        [90, 'Bo is busy'],
        [290, 'Bo did not answer'],
      ]);
    }),
  );

  it(
    'the caller rescinds: Cancel closes the Connection and sends close/cancelled; on the callee side the dialog goes',
    marbles((m) => {
      const caller = runHarness(m, {
        presence: [[10, bo]],
        intents: [
          [20, { kind: 'call', peerId: 'bo' }],
          [60, { kind: 'cancel' }],
        ],
      });
      caller.flush();
      expect(caller.sent()).toEqual([
        [20, 'send bo offer call-1'],
        [60, 'send bo close call-1 cancelled'],
      ]);
      expect(caller.conn()).toEqual([
        [20, 'conn0 created polite'],
        [60, 'conn0 close'],
      ]);
      expect(caller.lastStatus()).toBe('Online');
    }),
  );

  it(
    'callee side of a rescind: the ringing dialog closes and the call is reported missed',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        messages: [
          [20, offerFrom('bo', 'call-b', 'Bo')],
          [40, closeFrom('bo', 'call-b', 'cancelled')],
          [45, offerFrom('bo', 'call-b', 'Bo')], // a late re-sent offer of the ended call must not ring again
        ],
      });
      h.flush();
      expect(h.dialogs).toEqual([null, { kind: 'incoming', name: 'Bo' }, null]);
      expect(h.statuses().filter(([t]) => t >= 40)[0]).toEqual([40, 'Missed call from Bo']);
      expect(h.sent()).toEqual([]);
    }),
  );

  it(
    'an offer while ringing or in a call is answered with close/busy automatically',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [
          [10, bo],
          [11, presence('cy', 'available', 'Cy')],
        ],
        messages: [
          [20, offerFrom('bo', 'call-b', 'Bo')],
          [30, offerFrom('cy', 'call-c1', 'Cy')],
          [300, offerFrom('cy', 'call-c2', 'Cy')],
        ],
        intents: [[40, { kind: 'accept' }]],
        connections: [connected],
      });
      h.flush();
      expect(h.sent()).toEqual([
        [30, 'send cy close call-c1 busy'],
        [45, 'send bo accept call-b'],
        [300, 'send cy close call-c2 busy'],
        [200_000, 'send bo close call-b hangup'], // the page is left (unsubscribe) with the call open
      ]);
      expect(h.conn()).toEqual([
        [40, 'conn0 created impolite'],
        [200_000, 'conn0 close'],
      ]);
      expect(h.lastStatus()).toBe('In a call with Bo');
    }),
  );

  it(
    'an offer left unanswered for 30 s is declined automatically and the caller is told',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        messages: [[20, offerFrom('bo', 'call-b', 'Bo')]],
      });
      h.flush();
      expect(h.sent()).toEqual([[30_020, 'send bo close call-b timeout']]);
      expect(h.dialogs.at(-1)).toBeNull();
      expect(h.statuses().find(([t]) => t === 30_020)).toEqual([30_020, 'Missed call from Bo']);
    }),
  );

  it(
    'the caller re-sends an unanswered offer at each keepalive tick and gives up after 60 s',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [
          [10, bo],
          [40_010, bo],
        ],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
      });
      h.flush();
      expect(h.sent()).toEqual([
        [20, 'send bo offer call-1'],
        [40_000, 'send bo offer call-1'],
        [60_020, 'send bo close call-1 cancelled'],
      ]);
      expect(h.statuses().find(([t]) => t === 60_020)).toEqual([60_020, 'Bo did not answer']);
      expect(h.conn().at(-1)).toEqual([60_020, 'conn0 close']);
    }),
  );
});

describe('Peer: the call ends from the other side', () => {
  const inCall = {
    presence: [[10, bo]] as const,
    intents: [[20, { kind: 'call', peerId: 'bo' }]] as const,
    acceptAt: 50,
  };

  it(
    'remote leaves mid-call (gone): the call ends at once, without sending anything',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [...inCall.presence, [500, presence('bo', 'gone')]],
        intents: [...inCall.intents],
        messages: [[inCall.acceptAt, msg('bo', { peerAction: 'accept', callId: 'call-1' })]],
        connections: [connected],
      });
      h.flush();
      expect(h.conn().at(-1)).toEqual([500, 'conn0 close']);
      expect(h.sent()).toEqual([[25, 'send bo offer call-1']]);
      expect(h.statuses().find(([t]) => t === 500)).toEqual([500, 'Bo left']);
      expect(h.menus.at(-1)).toEqual([{ kind: 'name', name: 'Ann' }]);
    }),
  );

  it(
    'remote crashes (its media never comes back): close/lost, the specific reason in the status, back to idle, and a new call works',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [...inCall.presence],
        intents: [...inCall.intents, [1000, { kind: 'call', peerId: 'bo' }]],
        messages: [
          [inCall.acceptAt, msg('bo', { peerAction: 'accept', callId: 'call-1' })],
          [1050, msg('bo', { peerAction: 'accept', callId: 'call-2' })],
        ],
        connections: [{ media: '5ms m', state: '50ms c 300ms r 199ms #', error: new RtcError('connection-lost') }, connected],
      });
      h.flush();
      expect(h.sent()).toEqual([
        [25, 'send bo offer call-1'],
        [571, 'send bo close call-1 lost'],
        [1005, 'send bo offer call-2'],
        [200_000, 'send bo close call-2 hangup'],
      ]);
      expect(h.conn()).toEqual([
        [20, 'conn0 created polite'],
        [571, 'conn0 close'],
        [1000, 'conn1 created polite'],
        [200_000, 'conn1 close'],
      ]);
      expect(h.statuses().filter(([t]) => t >= 70 && t <= 1100)).toEqual([
        [70, 'In a call with Bo'],
        [371, 'Reconnecting to Bo…'],
        [571, 'Lost the connection to Bo for 60 s'],
        [1000, 'Calling Bo…'],
        [1050, 'Connecting to Bo…'],
        [1050, 'In a call with Bo'], // the fake connects 50 ms after creation, as the accept arrives
      ]);
    }),
  );
});
