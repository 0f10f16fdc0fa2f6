// The negotiation operators against a port that answers with timed marbles (1 frame = 1 ms).
import { EMPTY, NEVER, tap, type Observable } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { RtcError, type Signal } from '../../src/rtc/connection-types';
import {
  applyRemoteSignals,
  fitsRemote,
  freshFlags,
  iceUfrags,
  makeOffers,
  type NegotiationEvent,
  type NegotiationFlags,
} from '../../src/rtc/negotiation';
import type { PeerPort } from '../../src/rtc/peer-port';
import { quietPort } from './quiet-port';

const offer: RTCSessionDescriptionInit = { type: 'offer', sdp: 'o' };
const answer: RTCSessionDescriptionInit = { type: 'answer', sdp: 'a' };
const candidate: RTCIceCandidateInit = { candidate: 'candidate:1 1 udp 1 192.0.2.1 1 typ host', sdpMid: '0' };
const o: Signal = { kind: 'description', description: offer };
const r: Signal = { kind: 'description', description: answer };
const c: Signal = { kind: 'candidate', candidate };
const sendAnswer: NegotiationEvent = { kind: 'send', signal: { kind: 'description', description: answer } };
const sendOffer: NegotiationEvent = { kind: 'send', signal: { kind: 'description', description: offer } };
const done = undefined as void;

interface StubPort {
  port: PeerPort;
  log: string[];
  signaling: RTCSignalingState;
  remote: boolean;
}

/** A port whose operations take the given marbles; it records what was applied and when. */
function stubPort(
  now: () => number,
  ops: {
    setRemote?: () => Observable<void>;
    setLocal?: () => Observable<RTCSessionDescriptionInit>;
    addCandidate?: () => Observable<void>;
  },
): StubPort {
  const s: StubPort = {
    log: [],
    signaling: 'stable',
    remote: false,
    port: quietPort({
      signalingState: () => s.signaling,
      remoteDescription: () => (s.remote ? { type: 'offer', sdp: 'v=0\r\na=ice-ufrag:u1\r\n' } : null),
      setRemote: (d) => {
        s.log.push(`setRemote ${d.type}@${now()}`);
        s.remote = true;
        return ops.setRemote?.() ?? EMPTY;
      },
      setLocal: () => {
        s.log.push(`setLocal@${now()}`);
        return ops.setLocal?.() ?? NEVER;
      },
      addCandidate: () => {
        s.log.push(`candidate@${now()}`);
        return ops.addCandidate?.() ?? EMPTY;
      },
    }),
  };
  return s;
}

// prettier-ignore
describe('applyRemoteSignals', () => {
  it('applies signals in order: a candidate waits for a slow remote description and the answer', marbles((m) => {
    const s = stubPort(() => m.scheduler.now(), {
      setRemote: () => m.cold<void>('---(x|)', { x: done }),          // SRD takes 3 ms
      setLocal: () => m.cold('-(a|)', { a: answer }),                  // SLD takes 1 ms
      addCandidate: () => m.cold<void>('(x|)', { x: done }),
    });
    s.remote = true;
    const signals$ = m.hot<Signal>('-oc--', { o, c });                  // candidate arrives at 2 ms
    const expected = '              -----a';                            // answer after SRD + SLD
    m.expect(signals$.pipe(applyRemoteSignals(s.port, true, freshFlags()))).toBeObservable(expected, { a: sendAnswer });
    m.flush();
    expect(s.log).toEqual(['setRemote offer@1', 'setLocal@4', 'candidate@5']);
  }));

  it('holds candidates that come before any remote description, then applies them after it', marbles((m) => {
    const s = stubPort(() => m.scheduler.now(), {
      setRemote: () => m.cold<void>('--(x|)', { x: done }),
      addCandidate: () => m.cold<void>('#', undefined, new Error('bad')),
    });
    s.signaling = 'have-local-offer';
    const signals$ = m.hot<Signal>('cc--r', { c, r });
    const expected = '              hh----(ee)';                          // the held ones fail after the answer
    const flags = freshFlags();
    m.expect(signals$.pipe(applyRemoteSignals(s.port, true, flags))).toBeObservable(expected, {
      h: { kind: 'candidate-held' },
      e: { kind: 'candidate-error', error: new Error('bad') },
    });
    m.flush();
    expect(s.log).toEqual(['setRemote answer@4', 'candidate@6', 'candidate@6']);
    expect(flags.early).toEqual([]);
  }));

  it('impolite: an offer right behind an answer waits until the answer is set, and is then no collision', marbles((m) => {
    // Why there is no isSettingRemoteAnswerPending flag: signals are applied one at a time, so the offer
    // is judged only once the answer is in (stable). Applied concurrently, it would be judged while the
    // answer is still being set (have-local-offer) and ignored as a collision.
    const s: StubPort = stubPort(() => m.scheduler.now(), {
      setRemote: () => m.cold<void>('---(x|)', { x: done }).pipe(tap(() => (s.signaling = 'stable'))),
      setLocal: () => m.cold('-(a|)', { a: answer }),
    });
    s.signaling = 'have-local-offer';
    const signals$ = m.hot<Signal>('ro------', { r, o });                // the offer arrives while the answer is set
    const expected = '              -------a';                          // SRD answer 0–3, SRD offer 3–6, SLD 6–7
    m.expect(signals$.pipe(applyRemoteSignals(s.port, false, freshFlags()))).toBeObservable(expected, { a: sendAnswer });
    m.flush();
    expect(s.log).toEqual(['setRemote answer@0', 'setRemote offer@3', 'setLocal@6']);
  }));

  it('an answer when no offer of ours is out (a restart offer was sent twice) is ignored, not a failure; the next one applies', marbles((m) => {
    const s: StubPort = stubPort(() => m.scheduler.now(), {
      setRemote: () => m.cold<void>('-(x|)', { x: done }).pipe(tap(() => (s.signaling = 'stable'))),
    });
    s.signaling = 'have-local-offer';
    const signals$ = m.hot<Signal>('-r-r---', { r });                   // the second answers the same offer again
    const expected = '              ---i---';
    m.expect(signals$.pipe(applyRemoteSignals(s.port, true, freshFlags()))).toBeObservable(expected, { i: { kind: 'ignored-answer' } });
    m.flush();
    expect(s.log).toEqual(['setRemote answer@1']);
  }));

  it('impolite, making an offer: ignores the colliding offer and its failing candidates, then reports again', marbles((m) => {
    const s = stubPort(() => m.scheduler.now(), {
      setRemote: () => m.cold<void>('(x|)', { x: done }),
      addCandidate: () => m.cold<void>('-#', undefined, new Error('ufrag')),
    });
    s.remote = true;
    s.signaling = 'have-local-offer';
    const flags: NegotiationFlags = { ...freshFlags(), makingOffer: true };
    const signals$ = m.hot<Signal>('oc---r-c', { o, c, r });
    const expected = '              i-g-----e';
    m.expect(signals$.pipe(applyRemoteSignals(s.port, false, flags))).toBeObservable(expected, {
      i: { kind: 'ignored-offer' },
      g: { kind: 'candidate-ignored', error: new Error('ufrag') },
      e: { kind: 'candidate-error', error: new Error('ufrag') },
    });
    m.flush();
    expect(s.log).toEqual(['candidate@1', 'setRemote answer@5', 'candidate@7']); // the offer was never applied
  }));

  it('impolite: a candidate that came before the offer it belongs to is judged by that offer (ignored later)', marbles((m) => {
    const s = stubPort(() => m.scheduler.now(), {
      setRemote: () => m.cold<void>('(x|)', { x: done }),
      addCandidate: () => m.cold<void>('#', undefined, new Error('ufrag')),
    });
    s.signaling = 'have-local-offer';
    const flags: NegotiationFlags = { ...freshFlags(), makingOffer: true };
    const early: Signal = { kind: 'candidate', candidate: { ...candidate, usernameFragment: 'x9' } };
    const late: Signal = { kind: 'description', description: { type: 'offer', sdp: 'v=0\r\na=ice-ufrag:x9\r\n' } };
    const signals$ = m.hot<Signal>('eo--r', { e: early, o: late, r });
    m.expect(signals$.pipe(applyRemoteSignals(s.port, false, flags))).toBeObservable('hi--g', {
      h: { kind: 'candidate-held' },
      i: { kind: 'ignored-offer' },
      g: { kind: 'candidate-ignored', error: new Error('ufrag') },
    });
  }));

  it('polite, making an offer: accepts the colliding offer (setRemote rolls back) and answers', marbles((m) => {
    const s = stubPort(() => m.scheduler.now(), {
      setRemote: () => m.cold<void>('-(x|)', { x: done }),
      setLocal: () => m.cold('-(a|)', { a: answer }),
    });
    s.signaling = 'have-local-offer';
    const flags: NegotiationFlags = { ...freshFlags(), makingOffer: true };
    const signals$ = m.hot<Signal>('o', { o });
    m.expect(signals$.pipe(applyRemoteSignals(s.port, true, flags))).toBeObservable('--a', { a: sendAnswer });
  }));

  it('a description that fails becomes a "negotiation" failure, and the next signal is still applied', marbles((m) => {
    const error = new Error('InvalidStateError');
    let calls = 0;
    const s = stubPort(() => m.scheduler.now(), {
      setRemote: () => (++calls === 1 ? m.cold<void>('-#', undefined, error) : m.cold<void>('(x|)', { x: done })),
      setLocal: () => m.cold('(a|)', { a: answer }),
    });
    s.signaling = 'have-local-offer'; // judged by the port: in this stub it stays there, so the offer is applied too (polite)
    const signals$ = m.hot<Signal>('r--o', { r, o });
    m.expect(signals$.pipe(applyRemoteSignals(s.port, true, freshFlags()))).toBeObservable('-f-a', {
      f: { kind: 'failed', error: new RtcError('negotiation', { cause: error }) },
      a: sendAnswer,
    });
  }));
});

// prettier-ignore
describe('makeOffers', () => {
  it('sets makingOffer while the offer is made, and clears it once it has been emitted', marbles((m) => {
    const flags = freshFlags();
    const seen: boolean[] = [];
    const s = stubPort(() => m.scheduler.now(), { setLocal: () => m.cold('--(o|)', { o: offer }) });
    const needed$ = m.hot('n---', { n: 1 });
    m.scheduler.schedule(() => seen.push(flags.makingOffer), 1);
    m.scheduler.schedule(() => seen.push(flags.makingOffer), 3);
    m.expect(needed$.pipe(makeOffers(s.port, flags))).toBeObservable('--o', { o: sendOffer });
    m.flush();
    expect(seen).toEqual([true, false]);
  }));

  it('skips a negotiationneeded that is stale by the time it is handled (not stable)', marbles((m) => {
    const s = stubPort(() => m.scheduler.now(), { setLocal: () => m.cold('(o|)', { o: offer }) });
    s.signaling = 'have-remote-offer';
    m.expect(m.hot('n').pipe(makeOffers(s.port, freshFlags()))).toBeObservable('-');
    expect(s.log).toEqual([]);
  }));

  it('a failed offer becomes a "negotiation" failure and clears makingOffer', marbles((m) => {
    const flags = freshFlags();
    const error = new Error('closed');
    const s = stubPort(() => m.scheduler.now(), { setLocal: () => m.cold('-#', undefined, error) });
    m.expect(m.hot('n').pipe(makeOffers(s.port, flags))).toBeObservable('-f', {
      f: { kind: 'failed', error: new RtcError('negotiation', { cause: error }) },
    });
    m.flush();
    expect(flags.makingOffer).toBe(false);
  }));
});

describe('fitsRemote', () => {
  const remote: RTCSessionDescriptionInit = { type: 'offer', sdp: 'v=0\r\nm=audio\r\na=ice-ufrag:ab/c\r\nm=video\r\na=ice-ufrag:ab/c\r\n' };
  it('reads every ICE ufrag of an SDP', () => {
    expect(iceUfrags(remote.sdp)).toEqual(['ab/c', 'ab/c']);
    expect(iceUfrags(undefined)).toEqual([]);
  });
  it.each<[string, RTCIceCandidateInit | null, RTCSessionDescriptionInit | null, boolean]>([
    ['a candidate of the description', { candidate: 'candidate:1', usernameFragment: 'ab/c' }, remote, true],
    ['a candidate of a prefix ufrag', { candidate: 'candidate:1', usernameFragment: 'ab' }, remote, false],
    ['a candidate of another (later) description', { candidate: 'candidate:1', usernameFragment: 'zz' }, remote, false],
    ['a candidate without ufrag', { candidate: 'candidate:1' }, remote, true],
    ['end of candidates', null, remote, true],
    ['anything, before any remote description', { candidate: 'candidate:1' }, null, false],
  ])('%s → %s', (_name, c, d, fits) => {
    expect(fitsRemote(d, c)).toBe(fits);
  });
});
