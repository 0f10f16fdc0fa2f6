import { marbles } from 'rxjs-marbles/jest';
import { RtcError } from '../../src/rtc/connection-types';
import { NAME_KEY } from '../../src/peer/display-name';
import { msg, presence, runHarness } from './harness';

const bo = presence('bo', 'available', 'Bo');
const accept = (from: string, callId: string) => msg(from, { peerAction: 'accept', peerName: from, callId });
const offer = (from: string, callId: string) => msg(from, { peerAction: 'offer', peerName: from === 'bo' ? 'Bo' : from, callId });
const description = (from: string, callId: string, type: 'offer' | 'answer') => msg(from, { peerAction: 'description', callId, description: { type, sdp: `v=0 ${from}` } });
const candidate = (from: string, callId: string) => msg(from, { peerAction: 'candidate', callId, candidate: { candidate: `candidate:9 ${from}`, sdpMid: '0', sdpMLineIndex: 0 } });
const connected = { media: '5ms m', state: '50ms c' };

describe('Peer: signalling drop during a call', () => {
  it(
    'a WebSocket reconnect mid-call keeps the call; signals and hang-up still work afterwards',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [
          [10, bo],
          [5_500, presence('bo', 'ready', 'Bo')], // Bo's page re-subscribed too: not a stale offer, not the end
        ],
        status: [
          [0, { kind: 'online' }],
          [300, { kind: 'reconnecting', attempt: 1, retryAt: 5_300, reason: 'closed 1006' }],
          [5_300, { kind: 'logging-in' }],
          [5_400, { kind: 'online' }],
        ],
        intents: [
          [20, { kind: 'call', peerId: 'bo' }],
          [6_000, { kind: 'hangup' }],
        ],
        messages: [
          [50, accept('bo', 'call-1')],
          [5_600, description('bo', 'call-1', 'offer')], // e.g. an ICE restart after the network change
        ],
        connections: [connected],
      });
      h.flush();
      expect(h.statuses().filter(([t]) => t >= 300 && t <= 6_000)).toEqual([
        [300, 'In a call with Bo (Connection lost — reconnecting in 5 s…)'],   // counts down while it waits
        [1_300, 'In a call with Bo (Connection lost — reconnecting in 4 s…)'],
        [2_300, 'In a call with Bo (Connection lost — reconnecting in 3 s…)'],
        [3_300, 'In a call with Bo (Connection lost — reconnecting in 2 s…)'],
        [4_300, 'In a call with Bo (Connection lost — reconnecting in 1 s…)'],
        [5_300, 'In a call with Bo (Connecting…)'],
        [5_400, 'In a call with Bo'],
        [6_000, 'Online'],
      ]);
      expect(h.conn()).toEqual([
        [20, 'conn0 created polite'],
        [5_600, 'conn0 receive description offer'],
        [6_000, 'conn0 close'],
      ]);
      expect(h.sent()).toEqual([
        [25, 'send bo offer call-1'],
        [6_000, 'send bo close call-1 hangup'],
      ]);
    }),
  );
});

describe('Peer: glare (both sides offer each other at once)', () => {
  it(
    'the lower client id keeps its own offer and ignores the loser’s: no dialog, no busy reply',
    marbles((m) => {
      const h = runHarness(m, {
        selfId: 'ann', // 'ann' < 'bo'
        presence: [[10, bo]],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [
          [30, offer('bo', 'call-b')],
          [60, accept('bo', 'call-1')], // Bo, the higher id, dropped its offer and accepted ours
        ],
        connections: [connected],
        until: 1_000,
      });
      h.flush();
      expect(h.dialogs).toEqual([null]);
      expect(h.sent()).toEqual([
        [25, 'send bo offer call-1'],
        [1_000, 'send bo close call-1 hangup'],
      ]);
      expect(h.conn()).toEqual([
        [20, 'conn0 created polite'], // our call's media is kept through the glare
        [1_000, 'conn0 close'],
      ]);
    }),
  );

  it(
    'the higher client id drops its own offer and accepts the winner’s at once (it wanted that call)',
    marbles((m) => {
      const h = runHarness(m, {
        selfId: 'cy', // 'bo' < 'cy'
        presence: [[10, bo]],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [
          [30, offer('bo', 'call-b')],
          [40, accept('bo', 'call-1')], // a late accept of our dropped offer changes nothing
        ],
        connections: [{ media: '5ms m' }, { media: '5ms m', state: '50ms c' }],
        until: 1_000,
      });
      h.flush();
      expect(h.dialogs).toEqual([null]);
      expect(h.sent()).toEqual([
        [25, 'send bo offer call-1'],
        [35, 'send bo accept call-b'],
        [1_000, 'send bo close call-b hangup'],
      ]);
      expect(h.conn()).toEqual([
        [20, 'conn0 created polite'],
        [30, 'conn0 close'],
        [30, 'conn1 created impolite'],
        [1_000, 'conn1 close'],
      ]);
      expect(h.lastStatus()).toBe('In a call with Bo');
    }),
  );
});

describe('Peer: presence and name', () => {
  it(
    'a display-name change is stored, sanitized and re-published (available while idle, unavailable in a call)',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        intents: [
          [50, { kind: 'edit-name' }],
          [60, { kind: 'rename', name: '  Ann\u0007 Lee  ' }],
          [70, { kind: 'rename', name: '\u0001\u0002 ' }], // nothing usable left: ignored
          [100, { kind: 'call', peerId: 'bo' }],
          [200, { kind: 'rename', name: 'Annie' }],
        ],
        messages: [[150, accept('bo', 'call-1')]],
        connections: [connected],
        until: 1_000,
      });
      h.flush();
      expect(h.published()).toEqual([
        [0, 'publish available Ann'],
        [60, 'publish available Ann Lee'],
        [105, 'publish unavailable Ann Lee'],
        [200, 'publish unavailable Annie'],
      ]);
      expect(h.names.get(NAME_KEY)).toBe('Annie');
      expect(h.dialogs.slice(0, 3)).toEqual([null, { kind: 'name-form', name: 'Ann' }, null]);
    }),
  );

  it(
    'answers a `ready` directly with `available` when idle, and drops a peer not refreshed for 60 s',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [
          [10, presence('bo', 'ready', 'Bo')],
          [20, presence('cy', 'available', 'Cy')],
          [30, presence('dee', 'unavailable', 'Dee')],
          [40_000, presence('cy', 'available', 'Cy')],
        ],
        until: 70_000,
      });
      h.flush();
      expect(h.sent()).toEqual([[10, 'send bo available']]);
      expect(h.menus[3]).toEqual([
        { kind: 'call', peerId: 'bo', name: 'Bo' },
        { kind: 'call', peerId: 'cy', name: 'Cy' },
        { kind: 'busy', name: 'Dee' }, // shown, not callable
        { kind: 'name', name: 'Ann' },
      ]);
      expect(h.menus.at(-1)).toEqual([
        { kind: 'call', peerId: 'cy', name: 'Cy' },
        { kind: 'name', name: 'Ann' },
      ]);
      expect(h.published().filter(([, t]) => t === 'publish available Ann').map(([t]) => t)).toEqual([0, 40_000]);
    }),
  );
});

describe('Peer: deadlines', () => {
  it(
    'a timer that fires while the clock still reads 1 ms early is re-armed: a peer that left is dropped, not listed for good',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]], // Bo's page vanished without `gone`: expires at 60 010
        clock: (t) => (t < 50_000 ? t : t - 1), // the system clock steps back 1 ms at 50 s
        until: 300_000,
      });
      h.flush();
      expect(h.menus.at(-1)).toEqual([{ kind: 'name', name: 'Ann' }]);
    }),
  );
});

describe('Peer: bad and misdirected input', () => {
  it(
    'messages from the wrong peer or with the wrong callId are ignored; the right one still works',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [
          [10, bo],
          [11, presence('cy', 'available', 'Cy')],
        ],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [
          [40, accept('cy', 'call-1')],
          [41, accept('bo', 'call-9')],
          [50, accept('bo', 'call-1')],
          [100, msg('cy', { peerAction: 'close', callId: 'call-1', reason: 'hangup' })],
          [101, msg('bo', { peerAction: 'close', callId: 'call-9', reason: 'hangup' })],
          [102, description('bo', 'call-9', 'offer')],
          [103, description('cy', 'call-1', 'offer')],
          [200, msg('bo', { peerAction: 'close', callId: 'call-1', reason: 'hangup' })],
        ],
        connections: [connected],
      });
      h.flush();
      expect(h.conn()).toEqual([
        [20, 'conn0 created polite'],
        [200, 'conn0 close'],
      ]);
      expect(h.statuses().find(([t]) => t === 200)).toEqual([200, 'Bo hung up']);
    }),
  );

  it(
    'malformed peer messages are dropped without breaking the stream',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        messages: [
          [20, msg('bo', { foo: 1 })],
          [21, msg('bo', { peerAction: 'offer' })],
          [22, msg('bo', { peerAction: 'offer', callId: '<img src=x onerror=alert(1)>' })],
          [23, msg('bo', { peerAction: 'description', callId: 'call-b', description: { type: 'rollback', sdp: '' } })],
          [24, msg('bo', { peerAction: 'candidate', callId: 'call-b', candidate: { candidate: 5 } })],
          [25, msg('bo', { peerStatus: 'dancing' })],
          [26, msg('bo', { peerAction: 'teleport', callId: 'call-b' })],
          [30, offer('bo', 'call-b')],
        ],
      });
      h.flush();
      expect(h.log.filter(([, t]) => t.startsWith('ERROR'))).toEqual([]);
      expect(h.dialogs).toEqual([null, { kind: 'incoming', name: 'Bo' }, null]);
      expect(h.statuses().find(([t]) => t === 30)).toEqual([30, 'Bo is calling']);
    }),
  );

  it(
    'an offer from a client outside our channel presence is ignored',
    marbles((m) => {
      const h = runHarness(m, { messages: [[30, offer('stranger', 'call-s')]] });
      h.flush();
      expect(h.dialogs).toEqual([null]);
      expect(h.sent()).toEqual([]);
    }),
  );
});

describe('Peer: media and negotiation details', () => {
  it(
    'the call’s signals go straight to its media in arrival order (its negotiation holds early candidates); an accept after a description still counts',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [
          [40, candidate('bo', 'call-1')],
          [41, description('bo', 'call-1', 'offer')], // the relay reordered: these overtook the accept
          [42, description('cy', 'call-1', 'offer')], // not the peer of this call
          [43, description('bo', 'call-9', 'offer')], // not this call
          [50, accept('bo', 'call-1')],
          [60, candidate('bo', 'call-1')],
        ],
        connections: [connected],
        until: 1_000,
      });
      h.flush();
      expect(h.conn()).toEqual([
        [20, 'conn0 created polite'],
        [40, 'conn0 receive candidate'],
        [41, 'conn0 receive description offer'],
        [60, 'conn0 receive candidate'],
        [1_000, 'conn0 close'],
      ]);
      expect(h.statuses().filter(([t]) => t >= 40 && t <= 60)).toEqual([[50, 'Connecting to Bo…']]);
    }),
  );

  it(
    'the call’s media is subscribed when the call starts and released when it ends, on either side (subscription marbles)',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        intents: [
          [20, { kind: 'call', peerId: 'bo' }],
          [90, { kind: 'cancel' }],
          [200, { kind: 'accept' }],
          [400, { kind: 'hangup' }],
        ],
        messages: [[150, offer('bo', 'call-b')]],
        connections: [{ media: '5ms m' }, connected, { media: '5ms #', mediaError: new RtcError('no-device') }],
        until: 1_000,
      });
      m.expect(h.lifetimes[0]).toHaveSubscriptions(' 20ms ^ 69ms !');  // placed at 20, cancelled at 90
      m.expect(h.lifetimes[1]).toHaveSubscriptions('200ms ^ 199ms !'); // accepted at 200 (not while it rang), hung up at 400
      m.expect(h.lifetimes[2]).toHaveSubscriptions([]);
      h.flush();
      expect(h.videos.at(-1)).toBeNull();
    }),
  );

  it(
    'a failing call media is released at once and its reason shown',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [[50, accept('bo', 'call-1')]],
        connections: [{ media: '5ms m', state: '40ms n 59ms #', error: new RtcError('negotiation') }],
      });
      m.expect(h.lifetimes[0]).toHaveSubscriptions('20ms ^ 99ms !');
      h.flush();
      expect(h.sent().at(-1)).toEqual([120, 'send bo close call-1 failed']);
      expect(h.statuses().find(([t]) => t === 120)).toEqual([120, 'Could not connect to Bo']);
    }),
  );

  it(
    'media denied while offering: a clear status, nothing sent, back to idle',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        connections: [{ media: '5ms #', mediaError: new RtcError('media-denied') }],
      });
      h.flush();
      expect(h.sent()).toEqual([]);
      expect(h.conn()).toEqual([
        [20, 'conn0 created polite'],
        [25, 'conn0 close'],
      ]);
      expect(h.statuses().find(([t]) => t === 25)).toEqual([25, 'Camera and microphone are blocked for this site: allow them from the camera icon in the address bar (or the site settings), then call again']);
    }),
  );

  it(
    'no device while accepting: the caller is told (close/failed)',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        messages: [[20, offer('bo', 'call-b')]],
        intents: [[30, { kind: 'accept' }]],
        connections: [{ mediaError: new RtcError('no-device') }],
      });
      h.flush();
      expect(h.sent()).toEqual([[30, 'send bo close call-b failed']]);
      expect(h.statuses().filter(([t]) => t === 30)).toEqual([
        [30, 'Connecting to Bo…'],
        [30, 'No camera or microphone found'],
      ]);
      // The failure came back at once, inside the step that accepted: the deadline of the later state
      // (the notice fading at 10 s) wins over the earlier one (the 30 s connect timeout), because feedback
      // is delivered after the step, never into the middle of it.
      expect(h.statuses().at(-1)).toEqual([10_030, 'Online']);
    }),
  );

  it(
    'a call that never connects is closed with failed after 30 s',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [
          [10, bo],
          [40_000, bo],
        ],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [[50, accept('bo', 'call-1')]],
        connections: [{ media: '5ms m' }],
      });
      h.flush();
      expect(h.sent()).toEqual([
        [25, 'send bo offer call-1'],
        [30_050, 'send bo close call-1 failed'],
      ]);
      expect(h.statuses().find(([t]) => t === 30_050)).toEqual([30_050, 'Could not connect to Bo: no network path between you; a relay (TURN) server may be needed']);
    }),
  );

  it(
    'leaving the page mid-call: the Connection closes, the peer gets close, then the client disconnects',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [[50, accept('bo', 'call-1')]],
        connections: [connected],
        until: 500,
      });
      h.flush();
      expect(h.log.filter(([t]) => t === 500)).toEqual([
        [500, 'conn0 close'],
        [500, 'track conn0 video stopped'], // the video sender lets go of the camera too (call media stops all its tracks)
        [500, 'video poster'],
        [500, 'self-view none'],
        [500, 'send bo close call-1 hangup'],
        [500, 'disconnect'],
      ]);
    }),
  );
});
