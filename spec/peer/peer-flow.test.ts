import { marbles } from 'rxjs-marbles/jest';
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
        [20, 'conn0 created'],
        [100, 'conn0 open polite'],
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
    }),
  );
});
