// The call's media lives exactly as long as its subscription: unsubscribing or failing releases
// everything, and nothing outlives it (subscription marbles, then the fakes' own bookkeeping).
import { NEVER, catchError, firstValueFrom, lastValueFrom, of, type Observable } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { callMedia$ } from '../../src/rtc/call-media';
import { RtcError, type CallMediaEvent, type Signal } from '../../src/rtc/connection-types';
import { acquireLocalMedia } from '../../src/rtc/local-media';
import type { PeerPort } from '../../src/rtc/peer-port';
import { FakeMediaDevices, FakeMediaStream, FakeTrack, asStream } from './fake-media';
import { FakePeerConnection, realClock } from './fake-peer-connection';
import { lastState, makePair } from './pair';
import { quietPort } from './quiet-port';

/** A port with no events whose remote description takes the given marble; it records what was done to it. */
const markedPort = (setRemote: () => Observable<void>, done: string[]): PeerPort =>
  quietPort({ setRemote, addTrack: (track) => done.push(`addTrack ${track.kind}`), close: () => done.push('close') });

const offer: Signal = { kind: 'description', description: { type: 'offer', sdp: 'v=0 a' } };

describe('call media lifecycle', () => {
  // prettier-ignore
  it('holds the remote signals and local media exactly while subscribed; unsubscribing stops the tracks and closes the port', marbles((m) => {
    const done: string[] = [];
    const track = new FakeTrack('audio');
    const stream = asStream(new FakeMediaStream([track]));
    const signals$ = m.hot<Signal>('     --------');
    const media$ = m.cold('             -s------', { s: stream });
    const unsub = '                     ^---!   ';
    const expected = '                   cl---   ';
    const media = callMedia$({ polite: false, iceServers: [] }, signals$, NEVER, {
      localMedia: () => media$, createPort: () => markedPort(() => NEVER, done), log: () => undefined,
    });
    m.expect(media, unsub).toBeObservable(expected, { c: { kind: 'state', state: 'connecting' }, l: { kind: 'local', stream, replaceTrack: expect.any(Function) as PeerPort['replaceTrack'] } });
    m.expect(signals$).toHaveSubscriptions('^---!');
    m.expect(media$).toHaveSubscriptions('  ^!   '); // the source is done once it delivered; the call owns the tracks
    m.flush();
    expect(done).toEqual(['addTrack audio', 'close']); // impolite: its tracks go in at once
    expect(track.readyState).toBe('ended');
  }));

  // prettier-ignore
  it('a failed negotiation ends the stream with RtcError "negotiation" and lets go of everything at that moment', marbles((m) => {
    const done: string[] = [];
    const stream = asStream(new FakeMediaStream([new FakeTrack('video')]));
    const signals$ = m.hot<Signal>('     ---a----', { a: offer });
    const media$ = m.cold('             s-------', { s: stream });
    const expected = '                   (cl)-(f|)';
    const media = callMedia$({ polite: true, iceServers: [] }, signals$, NEVER, {
      localMedia: () => media$, createPort: () => markedPort(() => m.cold('--#', {}, new Error('InvalidStateError')), done), log: () => undefined,
    }).pipe(catchError((e: unknown) => of<CallMediaEvent | string>(e instanceof RtcError ? e.reason : 'other')));
    m.expect(media).toBeObservable(expected, { c: { kind: 'state', state: 'connecting' }, l: { kind: 'local', stream, replaceTrack: expect.any(Function) as PeerPort['replaceTrack'] }, f: 'negotiation' });
    m.expect(signals$).toHaveSubscriptions('^----!');
    m.expect(media$).toHaveSubscriptions('  (^!)   ');
    m.flush();
    expect(done).toEqual(['close']); // polite: no tracks before the other side's first offer
    expect(stream.getTracks().map((t) => t.readyState)).toEqual(['ended']);
  }));

  it('unsubscribing stops every track, closes the RTCPeerConnection and removes its listeners', async () => {
    const p = await makePair();
    p.a.connection.open(true);
    p.b.connection.open(false);
    p.at(500, () => p.a.connection.close());
    p.run();

    const pc = p.a.pc();
    expect(lastState(p.a)).toBe('closed');
    expect(p.a.error).toBeUndefined();
    expect(pc.signalingState).toBe('closed');
    expect(pc.listenerCount()).toBe(0);
    expect(p.a.devices.handedOut[0].getTracks().map((t) => t.readyState)).toEqual(['ended', 'ended']);
    expect(pc.receivedTracks.every((t) => t.readyState === 'ended')).toBe(true);
    // a late signal reaches nothing and creates nothing
    p.a.connection.receive({ kind: 'candidate', candidate: null });
    p.run();
    expect(p.a.pcs).toHaveLength(1);
    expect(pc.stats.remoteCandidates).toBe(2);
  });

  it('unsubscribing in the middle of negotiation leaves no timer or operation behind', async () => {
    const p = await makePair();
    p.a.connection.open(true);
    p.b.connection.open(false);
    p.at(2, () => p.a.connection.close());
    p.run(); // would throw if a queued operation hit the closed connection unhandled
    expect(lastState(p.a)).toBe('closed');
    expect(p.a.error).toBeUndefined();
    expect(p.a.pc().listenerCount()).toBe(0);
  });

  it('unsubscribing while the browser still asks for permission stops the tracks it delivers later', async () => {
    const devices = new FakeMediaDevices();
    const resume = devices.hold();
    const pcs: FakePeerConnection[] = [];
    const sub = callMedia$({ polite: false, iceServers: [] }, NEVER, NEVER, {
      localMedia: () => acquireLocalMedia(devices),
      createPort: (config) => {
        const pc = new FakePeerConnection(config, { clock: realClock });
        pcs.push(pc);
        return { ...markedPort(() => NEVER, []), close: () => pc.close() };
      },
      log: () => undefined,
    }).subscribe();
    sub.unsubscribe();
    resume();
    await new Promise<void>((resolve) => {
      const check = () => (devices.handedOut.length > 0 ? resolve() : setTimeout(check, 1));
      check();
    });
    expect(devices.handedOut[0].getTracks().every((t) => t.readyState === 'ended')).toBe(true);
    expect(pcs[0].signalingState).toBe('closed');
  });

  it('without WebRTC in the browser: fails with "negotiation" before asking for the camera', async () => {
    // jsdom has no RTCPeerConnection: the default port cannot be built
    const logs: string[] = [];
    let asked = false;
    const failure = firstValueFrom(
      callMedia$({ polite: false, iceServers: [] }, NEVER, NEVER, {
        localMedia: () => {
          asked = true;
          return NEVER;
        },
        log: (_l, message) => logs.push(message),
      }),
    );
    await expect(failure).rejects.toBeInstanceOf(RtcError);
    await expect(failure).rejects.toHaveProperty('reason', 'negotiation');
    expect(asked).toBe(false);
    expect(logs).toEqual(['impolite: call media failed (negotiation)']);
  });

  it('by default it takes the page’s camera: without navigator.mediaDevices (an insecure page) it fails with "no-device" and closes the port', async () => {
    const done: string[] = [];
    const failure = lastValueFrom(callMedia$({ polite: false, iceServers: [] }, NEVER, NEVER, { createPort: () => markedPort(() => NEVER, done), log: () => undefined }));
    await expect(failure).rejects.toHaveProperty('reason', 'no-device');
    expect(done).toEqual(['close']);
  });

  it('outgoing signals carry descriptions and candidates as plain JSON', async () => {
    const p = await makePair();
    p.a.connection.open(false); // the impolite side makes the first offer
    p.run();
    const [first] = p.a.sent.map(([, s]) => s);
    expect(first).toEqual<Signal>({ kind: 'description', description: { type: 'offer', sdp: expect.stringContaining('v=0') } });
    expect(JSON.parse(JSON.stringify(p.a.sent.map(([, s]) => s)))).toEqual(p.a.sent.map(([, s]) => s));
  });
});
