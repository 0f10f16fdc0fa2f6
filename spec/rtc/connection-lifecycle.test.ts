// Opening and closing: close() releases everything, twice is harmless, and nothing starts after it.
import { firstValueFrom, toArray, type Observable } from 'rxjs';
import { createConnection } from '../../src/rtc/connection';
import { RtcError, type Signal } from '../../src/rtc/connection-types';
import { FakeMediaDevices } from './fake-media';
import { lastState, makePair } from './pair';

describe('Connection lifecycle', () => {
  it('close() stops every track, closes the RTCPeerConnection, removes listeners and completes every stream', async () => {
    const p = await makePair();
    p.a.connection.open(true);
    p.b.connection.open(false);
    const done: string[] = [];
    const c = p.a.connection;
    const streams: [string, Observable<unknown>][] = [
      ['localStream$', c.localStream$],
      ['remoteStream$', c.remoteStream$],
      ['signals$', c.signals$],
    ];
    for (const [name, s$] of streams) s$.subscribe({ complete: () => done.push(name) });
    p.at(500, () => c.close());
    p.run();

    const pc = p.a.pc();
    expect(pc.signalingState).toBe('closed');
    expect(pc.listenerCount()).toBe(0);
    expect(p.a.devices.handedOut[0].getTracks().map((t) => t.readyState)).toEqual(['ended', 'ended']);
    expect(pc.receivedTracks.every((t) => t.readyState === 'ended')).toBe(true);
    expect(done.sort()).toEqual(['localStream$', 'remoteStream$', 'signals$']);
    expect(p.a.states.at(-1)).toEqual([500, 'closed']);
    expect(p.a.completed).toBe(true);
    // closing twice is harmless, and a late signal is dropped
    expect(() => c.close()).not.toThrow();
    c.receive({ kind: 'candidate', candidate: null });
    c.open(true);
    p.run();
    expect(p.a.states.filter(([, s]) => s === 'closed')).toHaveLength(1);
    expect(p.a.pcs).toHaveLength(1);
    expect(p.a.logs.map((l) => l.message)).toEqual(
      expect.arrayContaining(['polite: signal after close dropped', 'polite: open() ignored, the connection is closed']),
    );
  });

  it('closing in the middle of negotiation leaves no timer or operation behind', async () => {
    const p = await makePair();
    p.a.connection.open(true);
    p.b.connection.open(false);
    p.at(2, () => p.a.connection.close());
    p.run(); // would throw if a queued operation hit the closed connection unhandled
    expect(lastState(p.a)).toBe('closed');
    expect(p.a.error).toBeUndefined();
    expect(p.a.pc().listenerCount()).toBe(0);
  });

  it('close() before open() releases the local media', async () => {
    const devices = new FakeMediaDevices();
    const c = createConnection({ iceServers: [] }, { mediaDevices: devices, log: () => undefined });
    await firstValueFrom(c.initMedia());
    c.close();
    expect(devices.handedOut[0].getTracks().every((t) => t.readyState === 'ended')).toBe(true);
    await expect(firstValueFrom(c.state$.pipe(toArray()))).resolves.toEqual(['closed']);
  });

  it('close() while the browser still asks for permission stops the tracks it delivers later', async () => {
    const devices = new FakeMediaDevices();
    const resume = devices.hold();
    const c = createConnection({ iceServers: [] }, { mediaDevices: devices, log: () => undefined });
    const media = firstValueFrom(c.initMedia(), { defaultValue: null });
    c.close();
    resume();
    await expect(media).resolves.toBeNull(); // completes without a stream
    await new Promise<void>((resolve) => {
      const check = () => (devices.handedOut.length > 0 ? resolve() : setTimeout(check, 1));
      check();
    });
    expect(devices.handedOut[0].getTracks().every((t) => t.readyState === 'ended')).toBe(true);
  });

  it('initMedia() twice asks the browser once and gives the same stream', async () => {
    const devices = new FakeMediaDevices();
    const c = createConnection({ iceServers: [] }, { mediaDevices: devices, log: () => undefined });
    const [s1, s2] = await Promise.all([firstValueFrom(c.initMedia()), firstValueFrom(c.initMedia())]);
    expect(s1).toBe(s2);
    expect(devices.requests).toHaveLength(1);
    await expect(firstValueFrom(c.localStream$)).resolves.toBe(s1);
    c.close();
  });

  it('open() twice is ignored: one RTCPeerConnection', async () => {
    const p = await makePair();
    p.a.connection.open(true);
    p.a.connection.open(true);
    p.run();
    expect(p.a.pcs).toHaveLength(1);
    expect(p.a.logs.map((l) => l.message)).toContain('polite: open() ignored, the connection is already open');
  });

  it('signals received before open() are applied, in order, once it opens', async () => {
    const p = await makePair({ a: { delay: () => 1 } });
    p.a.connection.open(true);
    p.at(300, () => p.b.connection.open(false)); // A's offer and candidates have waited since 2..8
    p.run();
    expect(p.b.pc().stats.remoteCandidates).toBe(2);
    expect(lastState(p.b)).toBe('connected');
  });

  it('without WebRTC in the browser, open() fails with reason "negotiation"', () => {
    // jsdom has no RTCPeerConnection: the default port cannot be built
    const logs: string[] = [];
    const c = createConnection({ iceServers: [] }, { log: (_l, m) => logs.push(m) });
    let error: unknown;
    const states: string[] = [];
    c.state$.subscribe({ next: (s) => states.push(s), error: (e: unknown) => (error = e) });
    c.open(false);
    expect(states).toEqual(['new', 'failed']);
    expect(error).toBeInstanceOf(RtcError);
    expect((error as RtcError).reason).toBe('negotiation');
    expect(logs).toEqual(['impolite: connection failed (negotiation)']);
  });

  it('without navigator.mediaDevices (an insecure page), initMedia fails with "no-device"', async () => {
    const c = createConnection({ iceServers: [] }, { log: () => undefined });
    await expect(firstValueFrom(c.initMedia())).rejects.toEqual(new RtcError('no-device'));
    c.close();
  });

  it('signals$ carries descriptions and candidates as plain JSON', async () => {
    const p = await makePair();
    p.a.connection.open(false); // the impolite side makes the first offer
    p.run();
    const [first] = p.a.sent.map(([, s]) => s);
    expect(first).toEqual<Signal>({ kind: 'description', description: { type: 'offer', sdp: expect.stringContaining('v=0') } });
    expect(JSON.parse(JSON.stringify(p.a.sent.map(([, s]) => s)))).toEqual(p.a.sent.map(([, s]) => s));
  });
});
