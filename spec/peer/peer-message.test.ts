import { decodePeerMessage, signalMessage, closeMessage, offerMessage, presenceMessage } from '../../src/peer/peer-message';
import type { JsonObject } from '../../src/verto/client-types';

const ok = (m: JsonObject) => {
  const r = decodePeerMessage(m);
  if (!r.ok) throw new Error(r.error);
  return r.message;
};
const bad = (m: JsonObject) => {
  const r = decodePeerMessage(m);
  return r.ok ? 'accepted' : r.error;
};

describe('decodePeerMessage (docs/protocol.md#peer-messages)', () => {
  it('reads presence replies and call control', () => {
    expect(ok({ peerStatus: 'available', peerName: 'Bo' })).toEqual({ kind: 'presence', status: 'available', name: 'Bo' });
    expect(ok({ peerStatus: 'gone' })).toEqual({ kind: 'presence', status: 'gone' });
    expect(ok({ peerAction: 'offer', peerName: 'Bo', callId: 'c-1' })).toEqual({ kind: 'offer', callId: 'c-1', name: 'Bo' });
    expect(ok({ peerAction: 'accept', callId: 'c-1', peerName: 7 })).toEqual({ kind: 'accept', callId: 'c-1' });
    expect(ok({ peerAction: 'close', callId: 'c-1', reason: 'hangup' })).toEqual({ kind: 'close', callId: 'c-1', reason: 'hangup' });
    expect(ok({ peerAction: 'close', callId: 'c-1', reason: 'whatever' })).toEqual({ kind: 'close', callId: 'c-1' });
  });

  it('a direct presence reply carries the status, busy included; close carries `lost` (cut off for the whole outage limit)', () => {
    expect(ok(presenceMessage('unavailable', 'Dee'))).toEqual({ kind: 'presence', status: 'unavailable', name: 'Dee' });
    expect(ok(presenceMessage('available', 'Bo'))).toEqual({ kind: 'presence', status: 'available', name: 'Bo' });
    expect(ok(closeMessage('c-1', 'Bo', 'lost'))).toEqual({ kind: 'close', callId: 'c-1', reason: 'lost' });
  });

  it('reads the legacy `error` as close/failed', () => {
    expect(ok({ peerAction: 'error', peerName: 'Bo', callId: 'c-1' })).toEqual({ kind: 'close', callId: 'c-1', reason: 'failed' });
  });

  it('reads descriptions and candidates, including end-of-candidates', () => {
    expect(ok({ peerAction: 'description', callId: 'c', description: { type: 'answer', sdp: 'v=0' } })).toEqual({
      kind: 'signal',
      callId: 'c',
      signal: { kind: 'description', description: { type: 'answer', sdp: 'v=0' } },
    });
    expect(ok({ peerAction: 'candidate', callId: 'c', candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null } })).toEqual({
      kind: 'signal',
      callId: 'c',
      signal: { kind: 'candidate', candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: 0, usernameFragment: null } },
    });
    expect(ok({ peerAction: 'candidate', callId: 'c', candidate: null })).toEqual({ kind: 'signal', callId: 'c', signal: { kind: 'candidate', candidate: null } });
  });

  it.each<[string, JsonObject]>([
    ['no tag', { hello: 'world' }],
    ['unknown status', { peerStatus: 'dancing' }],
    ['no callId', { peerAction: 'offer', peerName: 'Bo' }],
    ['markup as callId', { peerAction: 'offer', callId: '<img src=x onerror=alert(1)>' }],
    ['overlong callId', { peerAction: 'accept', callId: 'a'.repeat(65) }],
    ['unknown action', { peerAction: 'teleport', callId: 'c' }],
    ['rollback description', { peerAction: 'description', callId: 'c', description: { type: 'rollback', sdp: '' } }],
    ['description without sdp', { peerAction: 'description', callId: 'c', description: { type: 'offer' } }],
    ['oversize sdp', { peerAction: 'description', callId: 'c', description: { type: 'offer', sdp: 'x'.repeat(60_001) } }],
    ['candidate not a string', { peerAction: 'candidate', callId: 'c', candidate: { candidate: 5 } }],
    ['candidate missing', { peerAction: 'candidate', callId: 'c' }],
    ['bad sdpMid', { peerAction: 'candidate', callId: 'c', candidate: { candidate: 'x', sdpMid: 3 } }],
    ['bad sdpMLineIndex', { peerAction: 'candidate', callId: 'c', candidate: { candidate: 'x', sdpMLineIndex: -1 } }],
    ['bad usernameFragment', { peerAction: 'candidate', callId: 'c', candidate: { candidate: 'x', usernameFragment: [] } }],
  ])('rejects %s', (_label, m) => {
    expect(bad(m)).not.toBe('accepted');
  });
});

describe('outgoing messages', () => {
  it('wrap signals as peerAction description / candidate', () => {
    expect(signalMessage('c', { kind: 'description', description: { type: 'offer', sdp: 'v=0' } })).toEqual({
      peerAction: 'description',
      callId: 'c',
      description: { type: 'offer', sdp: 'v=0' },
    });
    expect(signalMessage('c', { kind: 'candidate', candidate: { candidate: 'candidate:1', sdpMid: '0' } })).toEqual({
      peerAction: 'candidate',
      callId: 'c',
      candidate: { candidate: 'candidate:1', sdpMid: '0', sdpMLineIndex: null, usernameFragment: null },
    });
    expect(signalMessage('c', { kind: 'candidate', candidate: null })).toEqual({ peerAction: 'candidate', callId: 'c', candidate: null });
  });

  it('round-trip through the decoder', () => {
    for (const m of [offerMessage('c-1', 'Ann'), closeMessage('c-1', 'Ann', 'busy'), signalMessage('c-1', { kind: 'candidate', candidate: null })]) {
      expect(decodePeerMessage(m).ok).toBe(true);
    }
  });
});
