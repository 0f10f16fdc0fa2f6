// The real port over the fake's Promise API (awaited conditions, no virtual time): the same
// negotiation works when every operation is a real browser-style Promise.
import { NEVER, ReplaySubject, filter, firstValueFrom, share, type Observable } from 'rxjs';
import { callMedia$ } from '../../src/rtc/call-media';
import type { CallMediaEvent, Signal } from '../../src/rtc/connection-types';
import { acquireLocalMedia } from '../../src/rtc/local-media';
import { peerPort } from '../../src/rtc/peer-port';
import { FakeMediaDevices, FakeMediaStream, FakeTrack, asStream, asTrack } from './fake-media';
import { FakeLink, FakePeerConnection, realClock } from './fake-peer-connection';

const iceServers = [{ urls: 'stun:stun.example.org:3478' }];

/** One side's call media over the real port; `inbox` carries what the other side sent, replayed to a late opener. */
function side(link: FakeLink, pcs: FakePeerConnection[], polite: boolean, inbox: Observable<Signal>): Observable<CallMediaEvent> {
  return callMedia$({ polite, iceServers }, inbox, NEVER, {
    localMedia: () => acquireLocalMedia(new FakeMediaDevices()),
    createPort: (config) => {
      const pc = new FakePeerConnection(config, { clock: realClock, link });
      pcs.push(pc);
      return peerPort(pc as unknown as RTCPeerConnection);
    },
    createStream: () => asStream(new FakeMediaStream()),
    log: () => undefined,
  }).pipe(share());
}

const connected = (e$: Observable<CallMediaEvent>) => firstValueFrom(e$.pipe(filter((e) => e.kind === 'state' && e.state === 'connected')));

describe('peerPort over a Promise-based RTCPeerConnection', () => {
  it.each([
    ['one after the other', false],
    ['both at once', true],
  ])('%s: two sides connect, with the configured ICE servers', async (_name, together) => {
    const link = new FakeLink();
    const pcs: FakePeerConnection[] = [];
    const toA = new ReplaySubject<Signal>(Infinity);
    const toB = new ReplaySubject<Signal>(Infinity);
    const b = side(link, pcs, false, toB);
    const a = side(link, pcs, true, toA);
    const bConnected = connected(b);
    const subB = b.subscribe((e) => e.kind === 'signal' && toA.next(e.signal));
    if (!together) await firstValueFrom(toA); // A opens once B's offer is on its way
    const aConnected = connected(a);
    const subA = a.subscribe((e) => e.kind === 'signal' && toB.next(e.signal));
    await Promise.all([aConnected, bConnected]);

    const [pb, pa] = pcs;
    expect(pa.config.iceServers).toEqual(iceServers);
    expect(pa.signalingState).toBe('stable');
    expect(pa.currentLocalDescription?.sdp).toBe(pb.currentRemoteDescription?.sdp);
    expect(pb.currentLocalDescription?.sdp).toBe(pa.currentRemoteDescription?.sdp);
    expect(pa.stats.rollbacks).toBe(0); // the polite side never offered first
    subA.unsubscribe();
    subB.unsubscribe();
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

  it('reads getStats as the report’s entries where the connection has it, and offers no reading where it has none', async () => {
    const entries = [{ id: 'iv', type: 'inbound-rtp', kind: 'video', packetsReceived: 3 }];
    const withStats = Object.assign(new EventTarget(), { getStats: () => Promise.resolve(new Map(entries.map((e) => [e.id, e]))) }) as unknown as RTCPeerConnection;
    const read = peerPort(withStats).stats;
    expect(read).toBeDefined();
    expect([...(await firstValueFrom(read!()))]).toEqual(entries);
    expect(peerPort(new FakePeerConnection({}, { clock: realClock, link: new FakeLink() }) as unknown as RTCPeerConnection).stats).toBeUndefined();
  });
});

describe('peerPort.replaceTrack', () => {
  /** Only what replaceTrack reads: transceivers with a receiver's kind and a sender that records its track. */
  const transceiversOf = (...kinds: ('audio' | 'video')[]) => {
    const sent: Record<string, MediaStreamTrack | null | undefined> = {};
    const transceivers = kinds.map((kind) => ({
      currentDirection: 'sendrecv',
      receiver: { track: { kind } },
      sender: {
        replaceTrack: (track: MediaStreamTrack | null) => {
          sent[kind] = track;
          return Promise.resolve();
        },
      },
    }));
    const pc = Object.assign(new EventTarget(), { getTransceivers: () => transceivers }) as unknown as RTCPeerConnection;
    return { port: peerPort(pc), sent };
  };

  it('puts the track on the sender of its kind, and null quiets it', async () => {
    const { port, sent } = transceiversOf('audio', 'video');
    const camera = asTrack(new FakeTrack('video'));
    await firstValueFrom(port.replaceTrack('video', camera), { defaultValue: undefined });
    expect(sent).toEqual({ video: camera });
    await firstValueFrom(port.replaceTrack('video', null), { defaultValue: undefined });
    expect(sent).toEqual({ video: null });
  });

  it('errors when the call has no sender of that kind (an audio-only call)', async () => {
    const { port } = transceiversOf('audio');
    await expect(firstValueFrom(port.replaceTrack('video', null), { defaultValue: undefined })).rejects.toThrow('this call has no video sender');
  });
});

describe('peerPort.setVideoActive', () => {
  /** A call's transceivers (audio, then video) whose video sender records every setParameters' `active` values. */
  const videoSender = (encodings: number, track: { kind: string } | null = { kind: 'video' }) => {
    const calls: boolean[][] = [];
    let active = Array.from({ length: encodings }, () => true);
    const sender = {
      track,
      getParameters: () => ({ encodings: active.map((a) => ({ active: a })) }),
      setParameters: (p: { encodings: { active: boolean }[] }) => {
        active = p.encodings.map((e) => e.active);
        calls.push(active);
        return Promise.resolve();
      },
    };
    const transceivers = [
      { currentDirection: 'sendrecv', receiver: { track: { kind: 'audio' } }, sender: { track: { kind: 'audio' } } },
      { currentDirection: 'sendrecv', receiver: { track: { kind: 'video' } }, sender },
    ];
    const pc = Object.assign(new EventTarget(), { getTransceivers: () => transceivers }) as unknown as RTCPeerConnection;
    return { set: peerPort(pc).setVideoActive!, calls };
  };
  const done = (o: Observable<void>) => firstValueFrom(o, { defaultValue: undefined });

  it('off turns every encoding off; on turns them on; on while already on goes off first (the encoder starts over with a keyframe)', async () => {
    const { set, calls } = videoSender(2);
    await done(set(true));
    expect(calls).toEqual([[false, false], [true, true]]);
    await done(set(false));
    await done(set(true));
    expect(calls.slice(2)).toEqual([[false, false], [true, true]]);
  });

  it('the camera turned off meanwhile (the sender has no track): still turned on again', async () => {
    const { set, calls } = videoSender(1, null);
    await done(set(false));
    await done(set(true));
    expect(calls).toEqual([[false], [true]]);
  });

  it('no video sender (an audio-only call), or one without encodings yet: nothing to do', async () => {
    const none = Object.assign(new EventTarget(), { getTransceivers: () => [{ currentDirection: 'sendrecv', receiver: { track: { kind: 'audio' } }, sender: {} }] }) as unknown as RTCPeerConnection;
    await expect(done(peerPort(none).setVideoActive!(true))).resolves.toBeUndefined();
    const { set, calls } = videoSender(0);
    await done(set(true));
    expect(calls).toEqual([]);
  });
});
