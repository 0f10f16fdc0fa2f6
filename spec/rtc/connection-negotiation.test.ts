// Perfect negotiation between two calls' media over fake RTCPeerConnections, in virtual time.
import type { Signal } from '../../src/rtc/connection-types';
import { defaultRecoveryTiming } from '../../src/rtc/recovery';
import { FakeTrack } from './fake-media';
import { agreed, descriptionsSent, lastState, makePair, type Pair } from './pair';

const errors = (p: Pair) => [...p.a.logs, ...p.b.logs].filter((l) => l.level === 'error');
const isCandidate = (s: Signal) => s.kind === 'candidate';
/** Both sides restart the moment ICE fails: glare on purpose (the polite side's own wait would avoid it). */
const glareTiming = { ...defaultRecoveryTiming, politeDelayMs: 0 };


describe('call media negotiation (two sides, virtual time)', () => {
  it('plain offer/answer: one side offers, the other (opening later) answers, both connect and see each other', async () => {
    const p = await makePair();
    p.a.connection.open(false); // its tracks start negotiation at once
    p.at(50, () => p.b.connection.open(true)); // A's offer reached B at 11 and waited for open()
    p.run();

    expect(descriptionsSent(p.a)).toEqual(['offer']);
    expect(descriptionsSent(p.b)).toEqual(['answer']);
    expect(agreed(p)).toBe(true);
    expect(lastState(p.a)).toBe('connected');
    expect(lastState(p.b)).toBe('connected');
    expect(p.a.states.map(([, s]) => s)).toEqual(['connecting', 'connected']);
    // each side's remote stream carries the other's camera and microphone
    const aLocal = p.a.devices.handedOut[0].getTracks().map((t) => `remote:${t.id}`).sort();
    expect(p.b.remoteStreams).toHaveLength(1);
    expect(p.b.remoteStreams[0].getTracks().map((t) => t.id).sort()).toEqual(aLocal);
    expect(p.a.remoteStreams[0].getTracks()).toHaveLength(2);
    // candidates went both ways, ending with end-of-candidates
    expect(p.a.sent.filter(([, s]) => s.kind === 'candidate').at(-1)?.[1]).toEqual({ kind: 'candidate', candidate: null });
    expect(p.a.logs.filter((l) => l.level === 'error')).toEqual([]);
    expect(p.b.logs.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('polite side opened first: it waits for the impolite offer and answers with its tracks (no polite offer to roll back)', async () => {
    const p = await makePair();
    p.a.connection.open(true);
    p.at(30, () => p.b.connection.open(false));
    p.run();

    // Chromium gathered no candidates after a polite offer still being set was rolled back (e2e glare):
    // the first negotiation is the impolite side's alone.
    expect(descriptionsSent(p.a)).toEqual(['answer']);
    expect(descriptionsSent(p.b)).toEqual(['offer']);
    expect(p.a.pc().stats.rollbacks).toBe(0);
    expect(agreed(p)).toBe(true);
    expect(lastState(p.a)).toBe('connected');
    expect(lastState(p.b)).toBe('connected');
  });

  it('glare: both offer at the same moment (a renegotiation); polite rolls back and answers, impolite ignores; one agreed negotiation', async () => {
    const p = await makePair();
    p.a.connection.open(true);
    p.b.connection.open(false);
    p.run();
    expect(agreed(p)).toBe(true);
    // Both add a track at once: each side's negotiationneeded makes an offer.
    p.a.pc().addTrack(new FakeTrack('video') as unknown as MediaStreamTrack);
    p.b.pc().addTrack(new FakeTrack('video') as unknown as MediaStreamTrack);
    p.run();

    expect(descriptionsSent(p.a)).toEqual(['answer', 'offer', 'answer']); // its offer lost the collision
    expect(descriptionsSent(p.b)).toEqual(['offer', 'offer']);
    expect(p.a.pc().stats.rollbacks).toBe(1);
    expect(p.b.pc().stats.rollbacks).toBe(0);
    expect(p.b.logs.map((l) => l.message)).toContain('impolite: ignored a colliding offer');
    expect(agreed(p)).toBe(true);
    expect(p.a.pc().sendingTracks()).toHaveLength(3); // its answer carried all its tracks: no third round
    expect(lastState(p.a)).toBe('connected');
    expect(lastState(p.b)).toBe('connected');
    expect([...p.a.logs, ...p.b.logs].filter((l) => l.level === 'error')).toEqual([]);
  });

  it('signals out of order: candidates overtake their description and are applied after it', async () => {
    // every candidate travels in 2 ms, every description in 40 ms
    const delay = (_n: number, s: Signal) => (isCandidate(s) ? 2 : 40);
    const p = await makePair({ a: { delay }, b: { delay } });
    p.a.connection.open(true);
    p.at(5, () => p.b.connection.open(false));
    p.run();

    expect(agreed(p)).toBe(true);
    const held = (l: { message: string }) => l.message.endsWith('remote candidate held until a remote description');
    expect(p.a.logs.filter(held)).toHaveLength(3); // two candidates and end-of-candidates came first
    // B made the only offer; A's answer candidates overtook the answer
    expect(p.b.logs.filter(held)).toHaveLength(3);
    expect(p.b.pc().stats.remoteCandidates).toBe(2);
    expect(p.a.pc().stats.remoteCandidates).toBe(2);
    expect(lastState(p.a)).toBe('connected');
    expect(lastState(p.b)).toBe('connected');
    expect(errors(p)).toEqual([]);
  });

  const reverse = (n: number) => 100 - 10 * n;
  it.each([
    ['signals in reverse order (end-of-candidates first)', reverse, reverse],
    ['signals back to back (no delay at all), with a collision', () => 0, () => 0],
    ['glare with uneven delays (A→B slow, B→A fast)', () => 37, () => 3],
  ])('%s still ends in one agreed negotiation', async (_story, delayA: (n: number) => number, delayB: (n: number) => number) => {
    const p = await makePair({ a: { delay: delayA }, b: { delay: delayB } });
    p.a.connection.open(true);
    p.b.connection.open(false);
    p.run();

    expect(agreed(p)).toBe(true);
    expect(lastState(p.a)).toBe('connected');
    expect(lastState(p.b)).toBe('connected');
    expect(errors(p)).toEqual([]);
  });

  it('renegotiation: media that arrives after open() is added and negotiated by a new offer', async () => {
    const p = await makePair({ a: { media: null } }); // A opens before it has a camera
    p.a.connection.open(true);
    p.b.connection.open(false);
    p.run();
    expect(agreed(p)).toBe(true);
    expect(p.b.remoteStreams).toEqual([]); // nothing to see from A yet
    expect(descriptionsSent(p.a)).toEqual(['answer']);

    await p.a.connection.giveMedia();
    p.run();

    expect(descriptionsSent(p.a)).toEqual(['answer', 'offer']);
    expect(descriptionsSent(p.b)).toEqual(['offer', 'answer']);
    expect(agreed(p)).toBe(true);
    expect(p.b.remoteStreams).toHaveLength(1);
    expect(p.b.remoteStreams[0].getTracks().map((t) => t.kind).sort()).toEqual(['audio', 'video']);
    expect(lastState(p.b)).toBe('connected');
    expect(errors(p)).toEqual([]);
  });

  it('a candidate from an ignored offer is not reported as an error (both sides restart ICE at once)', async () => {
    const p = await makePair({ timing: glareTiming });
    p.a.connection.open(true);
    p.at(20, () => p.b.connection.open(false));
    p.at(1000, () => {
      p.a.pc().failIce();
      p.b.pc().failIce();
    });
    p.run();

    // B ignored A's restart offer; A's new candidates did not fit B's remote description
    expect(p.b.logs.filter((l) => l.t > 1000).map((l) => l.message)).toEqual(
      expect.arrayContaining([
        'impolite: ignored a colliding offer',
        'impolite: candidate of an ignored offer did not apply',
      ]),
    );
    expect(errors(p)).toEqual([]);
    expect(agreed(p)).toBe(true);
    expect(p.a.states.filter(([t]) => t >= 1000).map(([, s]) => s)).toEqual(['reconnecting', 'connected']);
    expect(p.b.states.filter(([t]) => t >= 1000).map(([, s]) => s)).toEqual(['reconnecting', 'connected']);
  });

  it('ignored-offer candidates are judged in order, even when the answer comes while one is being applied', async () => {
    // A candidate of the ignored offer is still being applied when the answer arrives: with overlapping
    // handlers the answer resets ignoreOffer first and the candidate's failure is reported.
    const delay = (_n: number, s: Signal) => (isCandidate(s) ? 0 : 1);
    const p = await makePair({ a: { delay }, b: { delay }, opMs: 2, timing: glareTiming });
    p.a.connection.open(true);
    p.b.connection.open(false);
    p.at(1000, () => {
      p.a.pc().failIce();
      p.b.pc().failIce();
    });
    p.run();

    expect(p.b.logs.filter((l) => l.t > 1000).map((l) => l.message)).toContain(
      'impolite: candidate of an ignored offer did not apply',
    );
    expect(errors(p)).toEqual([]);
    expect(agreed(p)).toBe(true);
    expect(lastState(p.a)).toBe('connected');
    expect(lastState(p.b)).toBe('connected');
  });

  it.each([
    ['one side restarts', false],
    ['both restart at once', true],
  ])('ICE restart (%s): new candidates that overtake the restart offer are held, not lost', async (_n, both) => {
    const delay = (_i: number, s: Signal) => (isCandidate(s) ? 0 : 5); // descriptions 5 ms slower
    const p = await makePair({ a: { delay }, b: { delay } });
    p.a.connection.open(true);
    p.b.connection.open(false);
    p.at(1000, () => {
      p.a.pc().failIce();
      if (both) p.b.pc().failIce();
    });
    p.run();

    const heldAfter = (l: { t: number; message: string }) => l.t > 1000 && l.message.endsWith('held until a remote description');
    expect([...p.a.logs, ...p.b.logs].filter(heldAfter).length).toBeGreaterThan(0);
    expect(errors(p)).toEqual([]);
    expect(agreed(p)).toBe(true);
    expect(lastState(p.a)).toBe('connected');
    expect(lastState(p.b)).toBe('connected');
  });

  it('a candidate that fails outside an ignored offer is reported, and the call carries on', async () => {
    const p = await makePair();
    p.a.connection.open(true);
    p.b.connection.open(false);
    p.at(500, () =>
      p.a.connection.receive({
        kind: 'candidate',
        candidate: { candidate: 'not a candidate line', sdpMid: '0' }, // fits the session, cannot be parsed
      }),
    );
    p.run();

    expect(p.a.logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([
      'polite: remote candidate failed to apply',
    ]);
    expect(lastState(p.a)).toBe('connected');
  });

  it('an answer in the wrong state (the same offer answered twice, after it was sent again) is ignored: the call stays up', async () => {
    const p = await makePair();
    p.a.connection.open(true);
    p.b.connection.open(false);
    p.at(500, () => {
      const answer = p.b.pc().currentLocalDescription ?? p.b.pc().localJson();
      p.a.connection.receive({ kind: 'description', description: { type: 'answer', sdp: answer.sdp } });
    });
    p.run();

    expect(lastState(p.a)).toBe('connected');
    expect(p.a.error).toBeUndefined();
    expect(p.a.logs.filter((l) => l.message.includes('ignored an answer')).map((l) => l.t)).toEqual([500]);
    expect(agreed(p)).toBe(true);
  });

  it('a track without a stream still gives a remote stream (built from the received tracks)', async () => {
    const p = await makePair({ a: { noStreams: true } });
    p.a.connection.open(true);
    p.b.connection.open(false);
    p.run();

    expect(p.a.remoteStreams).toHaveLength(1);
    expect(p.a.remoteStreams[0].getTracks().map((t) => t.kind).sort()).toEqual(['audio', 'video']);
  });

  describe('a broken politeness rule makes glare fail (the glare test can fail)', () => {
    it('both polite: each waits for the other to offer, so nothing is ever negotiated', async () => {
      const p = await makePair();
      p.a.connection.open(true);
      p.b.connection.open(true);
      p.run();
      expect(descriptionsSent(p.a)).toEqual([]);
      expect(descriptionsSent(p.b)).toEqual([]);
      expect(lastState(p.a)).toBe('connecting');
    });

    it('both impolite: both ignore, both stay stuck in have-local-offer', async () => {
      const p = await makePair();
      p.a.connection.open(false);
      p.b.connection.open(false);
      p.run();
      expect(p.a.pc().signalingState).toBe('have-local-offer');
      expect(p.b.pc().signalingState).toBe('have-local-offer');
      expect(lastState(p.a)).toBe('connecting');
    });
  });
});
