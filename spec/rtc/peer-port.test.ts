// The real port over the fake's Promise API (awaited conditions, no virtual time): the same
// negotiation works when every operation is a real browser-style Promise.
import { filter, firstValueFrom } from 'rxjs';
import { createConnection } from '../../src/rtc/connection';
import type { Connection } from '../../src/rtc/connection-types';
import { peerPort } from '../../src/rtc/peer-port';
import { FakeMediaDevices, FakeMediaStream, FakeTrack, asStream, asTrack } from './fake-media';
import { FakeLink, FakePeerConnection, realClock } from './fake-peer-connection';

const iceServers = [{ urls: 'stun:stun.example.org:3478' }];

function side(link: FakeLink, pcs: FakePeerConnection[]): Connection {
  return createConnection(
    { iceServers },
    {
      mediaDevices: new FakeMediaDevices(),
      createPort: (config) => {
        const pc = new FakePeerConnection(config, { clock: realClock, link });
        pcs.push(pc);
        return peerPort(pc as unknown as RTCPeerConnection);
      },
      createStream: () => asStream(new FakeMediaStream()),
      log: () => undefined,
    },
  );
}

const connected = (c: Connection) => firstValueFrom(c.state$.pipe(filter((s) => s === 'connected')));

describe('peerPort over a Promise-based RTCPeerConnection', () => {
  it.each([
    ['one after the other', false],
    ['both at once', true],
  ])('%s: two Connections connect, with the configured ICE servers', async (_name, together) => {
    const link = new FakeLink();
    const pcs: FakePeerConnection[] = [];
    const a = side(link, pcs);
    const b = side(link, pcs);
    a.signals$.subscribe((s) => b.receive(s));
    b.signals$.subscribe((s) => a.receive(s));
    await Promise.all([firstValueFrom(a.initMedia()), firstValueFrom(b.initMedia())]);
    b.open(false);
    if (!together) await firstValueFrom(b.signals$); // A opens once B's offer is on its way
    a.open(true);
    await Promise.all([connected(a), connected(b)]);

    const [pa, pb] = pcs;
    expect(pa.config.iceServers).toEqual(iceServers);
    expect(pa.signalingState).toBe('stable');
    expect(pa.currentLocalDescription?.sdp).toBe(pb.currentRemoteDescription?.sdp);
    expect(pb.currentLocalDescription?.sdp).toBe(pa.currentRemoteDescription?.sdp);
    expect(pa.stats.rollbacks).toBe(0); // the polite side never offered first
    a.close();
    b.close();
    expect(pcs.map((pc) => pc.listenerCount())).toEqual([0, 0]);
  });

  it('maps a gathered candidate to its JSON and the end of gathering to null', async () => {
    const pc = new FakePeerConnection({}, { clock: realClock });
    const port = peerPort(pc as unknown as RTCPeerConnection);
    const seen: (RTCIceCandidateInit | null)[] = [];
    const sub = port.candidates$.subscribe((c) => seen.push(c));
    const track = new FakeTrack('audio');
    port.addTrack(asTrack(track), asStream(new FakeMediaStream([track])));
    await firstValueFrom(port.setLocal());
    await new Promise<void>((resolve) => {
      const check = () => (seen.at(-1) === null ? resolve() : setTimeout(check, 1));
      check();
    });
    sub.unsubscribe();
    expect(seen).toHaveLength(3);
    expect(seen[0]).toEqual(expect.objectContaining({ candidate: expect.stringMatching(/^candidate:/), sdpMid: '0' }));
    expect(pc.listenerCount()).toBe(0);
  });
});
