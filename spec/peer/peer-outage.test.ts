// A call through an outage, as the Peer sees it (virtual time, 1 frame = 1 ms): what the status says,
// what the call's media is told about signalling, and how both sides end a call that stays cut off.
// The media itself (ICE restarts, the 60 s limit) is tested in spec/rtc/connection-recovery.test.ts.
import { marbles } from 'rxjs-marbles/jest';
import { RtcError } from '../../src/rtc/connection-types';
import type { ClientStatus } from '../../src/verto/client-types';
import { msg, presence, runHarness, type Timed } from './harness';

const bo = presence('bo', 'available', 'Bo');
const accept = msg('bo', { peerAction: 'accept', peerName: 'Bo', callId: 'call-1' });
const online: ClientStatus = { kind: 'online' };
/** Our socket is found dead at 6 s; the client is back online at `backAt`. */
const outage = (backAt: number): Timed<ClientStatus>[] => [
  [0, online],
  [6_000, { kind: 'reconnecting', attempt: 3, retryAt: backAt - 500, reason: 'no reply to ping' }],
  [backAt - 500, { kind: 'logging-in' }],
  [backAt, online],
];
/** Everything said between `from` and `to`, with only the first tick of the 40 s countdown. */
const said = (statuses: readonly (readonly [number, string])[], from: number, to: number) =>
  statuses.filter(([t, text]) => t >= from && t <= to && !/\(Connection lost — reconnecting in (?!40 )\d+ s…\)$/.test(text));

describe('Peer: a call through an outage', () => {
  it(
    'signalling down 45 s, then back: "Reconnecting to Bo…" throughout with Hang up kept; the media is told down, up, and up again when Bo is back; the call goes on',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [
          [10, bo],
          [46_600, presence('bo', 'ready', 'Bo')], // Bo's page re-subscribed as well
        ],
        status: outage(46_500),
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [[50, accept]],
        // media from 20: connected at 70, interrupted at 1 071, connected again at 47 072 (its ICE restart)
        connections: [{ media: '5ms m', state: '50ms c 1000ms r 46000ms c' }],
        until: 60_000,
      });
      h.flush();
      expect(said(h.statuses(), 70, 60_000)).toEqual([
        [70, 'In a call with Bo'],
        [1_071, 'Reconnecting to Bo…'], // the picture froze: said at once
        [6_000, 'Reconnecting to Bo… (Connection lost — reconnecting in 40 s…)'],
        [46_000, 'Reconnecting to Bo… (Connecting…)'],
        [46_500, 'Reconnecting to Bo…'],
        [47_072, 'In a call with Bo'],
      ]);
      expect(h.signalling()).toEqual([
        [20, 'signalling conn0 up'],
        [6_000, 'signalling conn0 down'],
        [46_500, 'signalling conn0 up'],
        [46_600, 'signalling conn0 up'], // Bo is back too: another reason to restart at once
      ]);
      // From the accept on, the menu is Hang up and nothing else, through the whole outage.
      const accepted = h.menus.findIndex((items) => items[0]?.kind === 'hangup');
      expect(h.menus.slice(accepted)).toEqual([[{ kind: 'hangup' }]]);
      expect(h.sent()).toEqual([
        [25, 'send bo offer call-1'],
        [60_000, 'send bo close call-1 hangup'], // only when the page is left
      ]);
      expect(h.conn().at(-1)).toEqual([60_000, 'conn0 close']);
    }),
  );

  it(
    'ICE disconnected while signalling works: "Reconnecting to Bo…" until media is back; the media is not told anything new',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [[50, accept]],
        connections: [{ media: '5ms m', state: '50ms c 1000ms r 3000ms c' }],
        until: 10_000,
      });
      h.flush();
      expect(h.statuses().filter(([t]) => t >= 70 && t < 10_000)).toEqual([
        [70, 'In a call with Bo'],
        [1_071, 'Reconnecting to Bo…'],
        [4_072, 'In a call with Bo'],
      ]);
      expect(h.signalling()).toEqual([[20, 'signalling conn0 up']]);
    }),
  );

  it(
    'cut off for good: the side that gives up at 60 s sends close/lost and says why; the other side, back online later, ends on that close with the same words',
    marbles((m) => {
      // This side's network is fine; Bo's went away at 1 s and never came back in time.
      const givesUp = runHarness(m, {
        presence: [[10, bo]],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [[50, accept]],
        connections: [{ media: '5ms m', state: '50ms c 1000ms r 59999ms #', error: new RtcError('connection-lost') }],
        until: 80_000,
      });
      // This side's network went away: signalling back at 62.5 s; its media (interrupted from 3 s, so
      // not yet at its own limit) is still trying when the other side's close arrives.
      const isTold = runHarness(m, {
        presence: [[10, bo]],
        status: outage(62_500),
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [
          [50, accept],
          [62_600, msg('bo', { peerAction: 'close', peerName: 'Bo', callId: 'call-1', reason: 'lost' })],
        ],
        connections: [{ media: '5ms m', state: '50ms c 2930ms r' }],
        until: 80_000,
      });
      m.flush();

      expect(givesUp.sent().at(-1)).toEqual([61_071, 'send bo close call-1 lost']);
      expect(givesUp.conn().at(-1)).toEqual([61_071, 'conn0 close']);
      expect(givesUp.statuses().filter(([t]) => t >= 61_071)).toEqual([
        [61_071, 'Lost the connection to Bo for 60 s'],
        [71_071, 'Online'],
      ]);
      expect(givesUp.published().at(-1)).toEqual([61_071, 'publish available Ann']);

      expect(isTold.conn().at(-1)).toEqual([62_600, 'conn0 close']);
      expect(isTold.sent().filter(([t]) => t > 25)).toEqual([]); // nothing back: the call is over on both sides
      expect(isTold.statuses().filter(([t]) => t >= 62_000 && t <= 62_600)).toEqual([
        [62_000, 'Reconnecting to Bo… (Connecting…)'],
        [62_500, 'Reconnecting to Bo…'],
        [62_600, 'Lost the connection to Bo for 60 s'],
      ]);
    }),
  );

  it(
    'a call that ends while the server is out of reach still says why, next to the connection state',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        status: outage(70_000),
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [[50, accept]],
        connections: [{ media: '5ms m', state: '50ms c 1000ms r 59999ms #', error: new RtcError('connection-lost') }],
        until: 80_000,
      });
      h.flush();
      expect(h.sent().at(-1)).toEqual([61_071, 'send bo close call-1 lost']); // queued by the client until it is back
      expect(h.statuses().find(([t]) => t === 61_071)).toEqual([61_071, 'Lost the connection to Bo for 60 s (Connection lost — reconnecting in 9 s…)']);
    }),
  );

  it(
    'a call being set up while the server is out of reach says so next to what it is doing',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        status: [
          [0, online],
          [30, { kind: 'reconnecting', attempt: 1, retryAt: 2_030, reason: 'closed 1006' }],
          [2_030, { kind: 'connecting', attempt: 1 }],
          [2_100, online],
          [3_000, { kind: 'reconnecting', attempt: 1, retryAt: 3_000, reason: 'closed 1006' }],
          [3_100, online],
        ],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [[2_500, accept]],
        connections: [{ media: '5ms m' }],
        until: 5_000,
      });
      h.flush();
      expect(h.statuses().filter(([t]) => t >= 20 && t < 5_000)).toEqual([
        [20, 'Calling Bo…'],
        [30, 'Calling Bo… (Connection lost — reconnecting in 2 s…)'],
        [1_030, 'Calling Bo… (Connection lost — reconnecting in 1 s…)'],
        [2_030, 'Calling Bo… (Connecting…)'],
        [2_100, 'Calling Bo…'],
        [2_500, 'Connecting to Bo…'],
        [3_000, 'Connecting to Bo… (Connection lost — reconnecting…)'],
        [3_100, 'Connecting to Bo…'],
      ]);
    }),
  );
});

describe('Peer: everyone sees everyone', () => {
  it(
    'in a call, a newcomer’s `ready` is answered with `unavailable`; the presence keepalive goes on as busy, so nobody drops us while we talk',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [
          [10, bo],
          [500, presence('cy', 'ready', 'Cy')],
        ],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [[50, accept]],
        connections: [{ media: '5ms m', state: '50ms c' }],
        until: 100_000,
      });
      h.flush();
      expect(h.sent().filter(([, t]) => t.startsWith('send cy'))).toEqual([[500, 'send cy unavailable']]);
      expect(h.published().filter(([t]) => t > 25 && t < 100_000)).toEqual([
        [40_000, 'publish unavailable Ann'],
        [80_000, 'publish unavailable Ann'],
      ]);
    }),
  );

  it(
    'the newcomer shows a peer that answered `unavailable` as busy (not callable) for as long as its keepalive says so',
    marbles((m) => {
      const h = runHarness(m, {
        // We just subscribed (our `ready` went out): Dee is in a call and answers directly; Bo is idle.
        messages: [
          [30, msg('dee', { peerStatus: 'unavailable', peerName: 'Dee' })],
          [31, msg('bo', { peerStatus: 'available', peerName: 'Bo' })],
        ],
        presence: [[40_030, presence('dee', 'unavailable', 'Dee')]], // Dee's keepalive, still in the call
        intents: [[100, { kind: 'call', peerId: 'dee' }]],
        until: 80_000,
      });
      h.flush();
      expect(h.menus.at(-1)).toEqual([{ kind: 'busy', name: 'Dee' }, { kind: 'name', name: 'Ann' }]); // Bo expired at 60 s, Dee did not
      expect(h.menus.find((items) => items.length === 3)).toEqual([
        { kind: 'call', peerId: 'bo', name: 'Bo' },
        { kind: 'busy', name: 'Dee' },
        { kind: 'name', name: 'Ann' },
      ]);
      expect(h.conn()).toEqual([]); // the call to a busy peer was never placed
      expect(h.sent()).toEqual([]);
    }),
  );

  it(
    'retries half a second apart: the status stays "Connection lost — reconnecting…" instead of flashing "in 1 s…" between tries; a long wait still counts down',
    marbles((m) => {
      const retries: Timed<ClientStatus>[] = [];
      for (let t = 1_000; t < 4_000; t += 1_000) {
        retries.push([t, { kind: 'reconnecting', attempt: 2, retryAt: t + 500, reason: 'connect timeout' }], [t + 500, { kind: 'connecting', attempt: 3 }]);
      }
      const h = runHarness(m, {
        status: [[0, online], ...retries, [4_000, { kind: 'reconnecting', attempt: 9, retryAt: 6_500, reason: 'connect timeout' }], [6_500, { kind: 'connecting', attempt: 10 }]],
        until: 7_000,
      });
      h.flush();
      expect(h.statuses()).toEqual([
        [0, 'Connecting…'],
        [0, 'Online'],
        [1_000, 'Connection lost — reconnecting…'],
        [4_000, 'Connection lost — reconnecting in 3 s…'],
        [5_000, 'Connection lost — reconnecting in 2 s…'],
        [6_000, 'Connection lost — reconnecting in 1 s…'],
        [6_500, 'Connection lost — reconnecting…'],
      ]);
    }),
  );

  it(
    'a poor connection is said in words while it lasts (from the call media’s readings), then the status goes back to the call',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        intents: [[20, { kind: 'call', peerId: 'bo' }]],
        messages: [[50, accept]],
        connections: [{ media: '5ms m', state: '50ms c', quality: '60ms g 1000ms h 2000ms g' }],
        until: 5_000,
      });
      h.flush();
      expect(h.statuses().filter(([t]) => t >= 70)).toEqual([
        [70, 'In a call with Bo'],
        [1_081, 'In a call with Bo — poor connection (high delay)'],
        [3_082, 'In a call with Bo'],
      ]);
    }),
  );
});
