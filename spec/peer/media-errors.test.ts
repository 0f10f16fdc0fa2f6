// Errors a person can act on when a call's media starts: which camera trouble, the camera-blocked
// question (offering and accepting side, Audio only and Cancel, and what the other side sees), how to allow.
import { NEVER, Subject, of, type Observable } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { callConnection$ } from '../../src/peer/call-connection';
import type { CallMedia, CallMediaEvent, Signal } from '../../src/rtc/connection-types';
import { markAudioOnly } from '../../src/rtc/local-media';
import { FakeMediaStream, FakeTrack, asStream } from '../rtc/fake-media';
import { RtcError } from '../../src/rtc/connection-types';
import { MEDIA_ON, initialState, type Call, type LocalChoice, type PeerEvent, type PeerState, type Step } from '../../src/peer/peer-state';
import { nextDeadline, reduce } from '../../src/peer/reduce';
import { controls, dialog, menuItems, remoteCameraOff, statusText } from '../../src/peer/view-model';
import { msg, presence, runHarness, type ConnectionScript } from './harness';
import { decodePeerMessage } from '../../src/peer/peer-message';
import type { JsonObject } from '../../src/verto/client-types';

const base = (self = 'ann', name = 'Ann', peer = { id: 'bo', name: 'Bo' }): PeerState => ({
  ...initialState(self, name),
  client: { kind: 'online' },
  peers: { [peer.id]: { ...peer, available: true, seenAt: 0 } },
});
const withCall = (phase: Call['phase'], extra: Partial<Call> = {}): PeerState => ({
  ...base(),
  call: { phase, callId: 'c1', peerId: 'bo', peerName: 'Bo', since: 0, offerSent: phase !== 'offering', ...extra },
});
const blocked: PeerEvent = { kind: 'media-ready', callId: 'c1', audioOnly: 'camera-blocked' };
const intent = (kind: 'audio-only' | 'cancel' | 'hangup'): PeerEvent => ({ kind: 'intent', intent: { kind } });
const sent = (step: Step): (JsonObject | string)[] => step.effects.flatMap((e): (JsonObject | string)[] => (e.kind === 'send' ? [e.message] : e.kind === 'publish' ? [`publish ${e.presence.status}`] : []));
/** Bo's page receiving what Ann's page sent (Bo placed the call to Ann, or is in it). */
const boReceives = (phase: Call['phase'], wire: JsonObject | string | undefined): PeerState => {
  const bo: PeerState = { ...base('bo', 'Bo', { id: 'ann', name: 'Ann' }), call: { phase, callId: 'c1', peerId: 'ann', peerName: 'Ann', since: 0, offerSent: true } };
  const decoded = decodePeerMessage(typeof wire === 'object' ? wire : {});
  if (!decoded.ok) throw new Error(`not a peer message: ${decoded.error}`);
  return reduce(bo, { kind: 'message', from: 'ann', message: decoded.message }, 5).state;
};

describe('camera trouble: the status says which', () => {
  it.each([
    ['no-camera', 'no camera found'],
    ['camera-busy', 'your camera is in use by another application'],
    ['camera-blocked', 'camera blocked'],
  ] as const)('%s: "(audio only: %s)" from offering to connected, with the camera button disabled', (reason, words) => {
    expect(statusText(withCall('offering', { audioOnly: reason }))).toBe(`Calling Bo… (audio only: ${words})`);
    expect(statusText(withCall('connecting', { audioOnly: reason }))).toBe(`Connecting to Bo… (audio only: ${words})`);
    expect(statusText(withCall('connected', { audioOnly: reason }))).toBe(`In a call with Bo (audio only: ${words})`);
    expect(controls(withCall('connected', { audioOnly: reason }))[1]).toEqual({ kind: 'toggle-camera', on: false, disabled: true });
  });

  it('a busy camera goes on at once, as a missing one does: offer or accept sent, no question', () => {
    for (const reason of ['camera-busy', 'no-camera'] as const) {
      const offering = reduce(withCall('offering'), { kind: 'media-ready', callId: 'c1', audioOnly: reason }, 7);
      expect(offering.state.call).toMatchObject({ offerSent: true, audioOnly: reason, since: 7 });
      expect(sent(offering)).toEqual([{ peerAction: 'offer', peerName: 'Ann', callId: 'c1' }, 'publish unavailable']);
      const accepting = reduce(withCall('accepting'), { kind: 'media-ready', callId: 'c1', audioOnly: reason }, 7);
      expect(accepting.state.call).toMatchObject({ phase: 'connecting', audioOnly: reason });
      expect(dialog(accepting.state)).toBeNull();
    }
  });

  it('the other side is told our camera is off once connected, and shows our name instead of a black picture', () => {
    const connected = reduce(withCall('connecting', { audioOnly: 'camera-busy' }), { kind: 'rtc-state', callId: 'c1', state: 'connected' }, 9);
    const [media] = sent(connected);
    expect(media).toEqual({ peerAction: 'media', callId: 'c1', seq: 1, mic: true, camera: false });
    const bo = boReceives('connected', media);
    expect(statusText(bo)).toBe('In a call with Ann — Ann turned their camera off');
    expect(remoteCameraOff(bo)).toBe('Ann');
    // With a camera nothing is told (the default both-on state).
    expect(sent(reduce(withCall('connecting'), { kind: 'rtc-state', callId: 'c1', state: 'connected' }, 9))).toEqual([]);
  });
});

describe('camera blocked, microphone allowed: go on audio-only?', () => {
  it('offering: asks before the offer goes out; Bo hears nothing yet', () => {
    const asked = reduce(withCall('offering'), blocked, 4);
    expect(asked.effects).toEqual([]);
    expect(asked.state.call).toMatchObject({ phase: 'offering', offerSent: false, askAudioOnly: true, audioOnly: 'camera-blocked', since: 4 });
    expect(dialog(asked.state)).toEqual({ kind: 'camera-blocked' });
    expect(statusText(asked.state)).toBe('Calling Bo… (audio only: camera blocked)');
    expect(menuItems(asked.state)).toEqual([{ kind: 'cancel' }]);
    // Asked once: a second media-ready changes nothing.
    expect(reduce(asked.state, blocked, 5)).toEqual({ state: asked.state, effects: [] });
  });

  it('offering, Audio only: the offer goes out, audio-only, and the dialog closes', () => {
    const asked = reduce(withCall('offering'), blocked, 4).state;
    const on = reduce(asked, intent('audio-only'), 6);
    expect(sent(on)).toEqual([{ peerAction: 'offer', peerName: 'Ann', callId: 'c1' }, 'publish unavailable']);
    expect(on.state.call).toMatchObject({ offerSent: true, askAudioOnly: false, audioOnly: 'camera-blocked', since: 6 });
    expect(dialog(on.state)).toBeNull();
    // Bo accepts, the call connects: our status says why there is no picture.
    const accepted = reduce(on.state, { kind: 'message', from: 'bo', message: { kind: 'accept', callId: 'c1' } }, 7).state;
    const inCall = reduce(accepted, { kind: 'rtc-state', callId: 'c1', state: 'connected' }, 8);
    expect(statusText(inCall.state)).toBe('In a call with Bo (audio only: camera blocked)');
    expect(sent(inCall)).toEqual([{ peerAction: 'media', callId: 'c1', seq: 1, mic: true, camera: false }]);
  });

  it('offering, Cancel: the call ends here and nothing is sent (Bo never rang)', () => {
    const asked = reduce(withCall('offering'), blocked, 4).state;
    const cancelled = reduce(asked, intent('cancel'), 6);
    expect(cancelled.state.call).toBeNull();
    expect(sent(cancelled)).toEqual(['publish available']);
    expect(dialog(cancelled.state)).toBeNull();
    expect(statusText(cancelled.state)).toBe('Online');
  });

  it('accepting: asks before the accept goes out, with 30 s to answer', () => {
    const asked = reduce(withCall('accepting', { since: 1 }), blocked, 4);
    expect(asked.effects).toEqual([]);
    expect(asked.state.call).toMatchObject({ phase: 'accepting', askAudioOnly: true, since: 4 });
    expect(dialog(asked.state)).toEqual({ kind: 'camera-blocked' });
    expect(statusText(asked.state)).toBe('Connecting to Bo… (audio only: camera blocked)');
    expect(nextDeadline(asked.state)).toBe(4 + 30_000);
  });

  it('accepting, Audio only: the accept goes out and the call connects audio-only', () => {
    const asked = reduce(withCall('accepting'), blocked, 4).state;
    const on = reduce(asked, intent('audio-only'), 6);
    expect(sent(on)).toEqual([{ peerAction: 'accept', peerName: 'Ann', callId: 'c1' }, 'publish unavailable']);
    expect(on.state.call).toMatchObject({ phase: 'connecting', askAudioOnly: false, since: 6 });
    expect(dialog(on.state)).toBeNull();
    // Bo's side: our accept moves its offering call on.
    expect(boReceives('offering', sent(on)[0]).call?.phase).toBe('connecting');
  });

  it('accepting, Cancel: declined, as the incoming dialog would; Bo is told "Ann declined the call"', () => {
    const asked = reduce(withCall('accepting'), blocked, 4).state;
    const cancelled = reduce(asked, intent('cancel'), 6);
    expect(cancelled.state.call).toBeNull();
    const [close] = sent(cancelled);
    expect(close).toEqual({ peerAction: 'close', peerName: 'Ann', callId: 'c1', reason: 'rejected' });
    expect(statusText(boReceives('offering', close))).toBe('Ann declined the call');
  });

  it('Audio only and Cancel do nothing when nobody is asked', () => {
    for (const s of [withCall('offering'), withCall('accepting'), withCall('connected', { audioOnly: 'no-camera' }), base()]) {
      expect(reduce(s, intent('audio-only'), 6)).toEqual({ state: s, effects: [] });
    }
    const accepting = withCall('accepting');
    expect(reduce(accepting, intent('cancel'), 6)).toEqual({ state: accepting, effects: [] });
  });
});

describe('failures say what to do', () => {
  it.each([
    ['media-denied', 'Camera and microphone are blocked for this site: allow them from the camera icon in the address bar (or the site settings), then call again'],
    ['device-busy', 'Your microphone or camera is in use by another application: close it, then call again'],
  ] as const)('%s, on either side', (reason, text) => {
    for (const phase of ['offering', 'accepting'] as const) {
      expect(statusText(reduce(withCall(phase), { kind: 'rtc-error', callId: 'c1', reason }, 3).state)).toBe(text);
    }
  });
});

describe('camera blocked (Peer, virtual time): nothing reaches the other side before the answer', () => {
  const bo = presence('bo', 'available', 'Bo');
  const offerFromBo = msg('bo', { peerAction: 'offer', peerName: 'Bo', callId: 'call-b' });
  /** Bo calls, we accept at 30 with the camera blocked (asked at 35), and answer at 100. */
  const answered = (m: Parameters<typeof runHarness>[0], answer: 'audio-only' | 'cancel', script: ConnectionScript) => {
    const h = runHarness(m, {
      presence: [[10, bo]],
      messages: [[20, offerFromBo]],
      intents: [
        [30, { kind: 'accept' }],
        [100, { kind: answer }],
      ],
      connections: [{ media: '5ms m', audioOnly: 'camera-blocked', ...script }],
    });
    h.flush();
    return h;
  };

  it(
    'accepting, Audio only: our signals wait for the answer, then follow the accept in order',
    marbles((m) => {
      const h = answered(m, 'audio-only', { signals: '10ms o 9ms k', state: '90ms c' });
      expect(h.sent().filter(([t]) => t < 200_000)).toEqual([
        [100, 'send bo accept call-b'],
        [100, 'send bo description call-b offer'],
        [100, 'send bo candidate call-b'],
        [120, 'send bo media call-b'], // connected: our camera is off
      ]);
      expect(h.log.filter(([, t]) => t.startsWith('dialog '))).toEqual([
        [0, 'dialog none'],
        [20, 'dialog incoming Bo'],
        [30, 'dialog none'],
        [35, 'dialog camera-blocked'],
        [100, 'dialog none'],
      ]);
      expect(h.statuses().find(([t]) => t === 120)).toEqual([120, 'In a call with Bo (audio only: camera blocked)']);
    }),
  );

  it(
    'accepting, Cancel: the media ends, Bo gets a decline and none of our signals',
    marbles((m) => {
      const h = answered(m, 'cancel', { signals: '10ms o' });
      expect(h.sent()).toEqual([[100, 'send bo close call-b rejected']]);
      expect(h.conn()).toEqual([
        [30, 'conn0 created impolite'],
        [100, 'conn0 close'],
      ]);
    }),
  );

  it(
    'offering, Audio only: the offer goes out only then',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        intents: [
          [20, { kind: 'call', peerId: 'bo' }],
          [60, { kind: 'audio-only' }],
        ],
        connections: [{ media: '5ms m', audioOnly: 'camera-blocked' }],
      });
      h.flush();
      expect(h.sent()[0]).toEqual([60, 'send bo offer call-1']);
    }),
  );

  it(
    'a media failure after the question is still a clean failure (rtc-error while asking)',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, bo]],
        messages: [[20, offerFromBo]],
        intents: [[30, { kind: 'accept' }]],
        connections: [{ media: '5ms m', audioOnly: 'camera-blocked', state: '20ms #', error: new RtcError('negotiation') }],
      });
      h.flush();
      expect(h.sent()).toEqual([[50, 'send bo close call-b failed']]);
      expect(h.log.filter(([, t]) => t.startsWith('dialog ')).at(-1)).toEqual([50, 'dialog none']);
    }),
  );
});

describe('callConnection$: why our media has no camera, and signals held while asked', () => {
  const signal: Signal = { kind: 'candidate', candidate: null };
  const run = (stream: MediaStream, flags$: Observable<LocalChoice> = NEVER) => {
    const sent: JsonObject[] = [];
    const events: PeerEvent[] = [];
    const callMedia: CallMedia = () => of<CallMediaEvent[]>({ kind: 'local', stream, replaceTrack: () => of(undefined) }, { kind: 'signal', signal });
    const deps = { client: { send: (_to: string, m: JsonObject) => void sent.push(m) }, view: { setVideo: () => undefined }, callMedia, iceServers: [] };
    const sub = callConnection$({ callId: 'c1', peerId: 'bo', polite: false }, NEVER, NEVER, deps, flags$).subscribe((e) => events.push(e));
    return { sent, events, sub };
  };
  const audio = () => new FakeMediaStream([new FakeTrack('audio')]);

  it.each([
    ['a stream with a camera', () => asStream(new FakeMediaStream([new FakeTrack('audio'), new FakeTrack('video')])), undefined],
    ['a stream without one, from elsewhere', () => asStream(audio()), 'no-camera'],
    ['a busy camera (marked by local media)', () => markAudioOnly(asStream(audio()), 'camera-busy'), 'camera-busy'],
  ] as const)('%s: media-ready says %s, and the signal goes out at once', (_what, stream, reason) => {
    const { sent, events, sub } = run(stream());
    expect(events).toEqual([{ kind: 'media-ready', callId: 'c1', audioOnly: reason }]);
    expect(sent).toHaveLength(1);
    sub.unsubscribe();
  });

  it('a blocked camera: the signal waits until the other side was told we go on', () => {
    const choice = new Subject<LocalChoice>();
    const { sent, sub } = run(markAudioOnly(asStream(audio()), 'camera-blocked'), choice);
    choice.next({ ...MEDIA_ON, agreed: false });
    expect(sent).toEqual([]);
    choice.next({ ...MEDIA_ON, agreed: true });
    expect(sent).toEqual([{ peerAction: 'candidate', callId: 'c1', candidate: null }]);
    sub.unsubscribe();
  });
});
