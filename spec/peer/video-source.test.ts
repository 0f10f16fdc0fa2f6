// What our call sends as video, as the Peer decides and says it: screen sharing, a camera that would
// not come back, and what the other side is shown (reducer, view-model, media message, Peer in virtual time).
import { BehaviorSubject, NEVER, of } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { callConnection$ } from '../../src/peer/call-connection';
import { decodePeerMessage, mediaMessage } from '../../src/peer/peer-message';
import { RtcError, type CallMediaEvent } from '../../src/rtc/connection-types';
import type { LocalChoice, PeerEvent } from '../../src/peer/peer-state';
import { controls, remoteCameraOff, statusText } from '../../src/peer/view-model';
import { run, withCall } from './call-state';
import { msg, presence, runHarness } from './harness';

const screen = { kind: 'intent', intent: { kind: 'toggle-screen' } } as const;
const camera = { kind: 'intent', intent: { kind: 'toggle-camera' } } as const;
const sharing = (on: boolean, callId = 'c1'): PeerEvent => ({ kind: 'sharing', callId, on });
const media = (seq: number, extra: object): PeerEvent => ({ kind: 'message', from: 'bo', message: { kind: 'media', callId: 'c1', seq, mic: true, camera: true, screen: false, ...extra } });

describe('media message: screen', () => {
  it('reads `screen` as an optional boolean (absent: false) and refuses anything else; sends it only while sharing', () => {
    const body = { peerAction: 'media', callId: 'c1', seq: 1, mic: true, camera: false };
    expect(decodePeerMessage(body)).toEqual({ ok: true, message: { kind: 'media', callId: 'c1', seq: 1, mic: true, camera: false, screen: false } });
    expect(decodePeerMessage({ ...body, screen: true })).toEqual({ ok: true, message: { kind: 'media', callId: 'c1', seq: 1, mic: true, camera: false, screen: true } });
    for (const bad of ['yes', 1, null]) expect(decodePeerMessage({ ...body, screen: bad })).toEqual({ ok: false, error: 'invalid media' });
    expect(mediaMessage('c1', 1, true, false)).toEqual(body);
    expect(mediaMessage('c1', 2, true, false, true)).toEqual({ ...body, seq: 2, screen: true });
  });
});

describe('screen sharing (reduce)', () => {
  it('the toggle asks; the peer is told once our screen is on the sender; our button stops it and tells', () => {
    const asked = run(withCall('connected'), screen);
    expect(asked.sent).toEqual([]); // the picker is open: the camera is still what they see
    expect(controls(asked.state)[2]).toEqual({ kind: 'toggle-screen', on: true, disabled: false });
    const shared = run(asked.state, sharing(true));
    expect(shared.sent).toEqual([{ peerAction: 'media', callId: 'c1', seq: 1, mic: true, camera: true, screen: true }]);
    expect(statusText(shared.state, 1)).toBe('In a call with Bo — you are sharing your screen');
    const stopped = run(shared.state, screen);
    expect(stopped.sent).toEqual([{ peerAction: 'media', callId: 'c1', seq: 2, mic: true, camera: true }]);
    expect(controls(stopped.state)[2]).toEqual({ kind: 'toggle-screen', on: false, disabled: false });
    expect(statusText(stopped.state, 1)).toBe('In a call with Bo');
    expect(run(stopped.state, sharing(false)).state).toBe(stopped.state); // the sender's late word on it: already known
  });

  it('stopped from the browser\'s own UI: the toggle goes back and the peer is told; a refused picker is told nothing', () => {
    const shared = run(withCall('connected'), screen, sharing(true)).state;
    const ended = run(shared, sharing(false));
    expect(ended.sent).toEqual([{ peerAction: 'media', callId: 'c1', seq: 2, mic: true, camera: true }]);
    expect(controls(ended.state)[2]).toMatchObject({ on: false });
    const refused = run(withCall('connected'), screen, sharing(false));
    expect(refused.sent).toEqual([]);
    expect(controls(refused.state)[2]).toMatchObject({ on: false });
    expect(statusText(refused.state, 1)).toBe('In a call with Bo');
  });

  it('before connect, like the microphone and camera: shared at once, told when the call connects; not while ringing, nor audio-only', () => {
    const early = run(withCall('connecting'), screen, sharing(true));
    expect(early.sent).toEqual([]);
    expect(run(early.state, { kind: 'rtc-state', callId: 'c1', state: 'connected' }).sent).toEqual([{ peerAction: 'media', callId: 'c1', seq: 1, mic: true, camera: true, screen: true }]);
    expect(run(withCall('ringing'), screen).state.call?.local).toBeUndefined();
    expect(run(withCall('connected', { audioOnly: 'no-camera' }), screen).state.call?.local).toBeUndefined();
    expect(controls(withCall('connected', { audioOnly: 'no-camera' }))[2]).toEqual({ kind: 'toggle-screen', on: false, disabled: true });
    expect(run(withCall('connected'), sharing(true, 'other')).state.call?.sharing).toBeUndefined();
  });

  it('told again after an interruption, with the screen', () => {
    const shared = run(withCall('connected'), screen, sharing(true)).state;
    const back = run({ ...shared, call: { ...shared.call!, interrupted: true } }, { kind: 'rtc-state', callId: 'c1', state: 'connected' });
    expect(back.sent).toEqual([{ peerAction: 'media', callId: 'c1', seq: 2, mic: true, camera: true, screen: true }]);
  });
});

describe('a camera that will not come back (reduce)', () => {
  it('the call goes on without video: the toggle shows it off, the peer is told, the status says why until the next try', () => {
    const off = run(withCall('connected'), camera, camera).state; // off, then on again: the camera is reopened
    const failed = run(off, { kind: 'camera-failed', callId: 'c1', reason: 'no-device' });
    expect(failed.sent).toEqual([{ peerAction: 'media', callId: 'c1', seq: 3, mic: true, camera: false }]);
    expect(controls(failed.state)[1]).toEqual({ kind: 'toggle-camera', on: false, disabled: false });
    expect(statusText(failed.state, 1)).toBe('In a call with Bo — your camera could not be turned back on: it was not found');
    const busy = run(off, { kind: 'camera-failed', callId: 'c1', reason: 'device-busy' }).state;
    expect(statusText(busy, 1)).toBe('In a call with Bo — your camera could not be turned back on: it is in use by another application');
    const denied = run(off, { kind: 'camera-failed', callId: 'c1', reason: 'media-denied' }).state;
    expect(statusText(denied, 1)).toBe('In a call with Bo — your camera could not be turned back on: access to it was denied');
    expect(statusText(run(failed.state, camera).state, 1)).toBe('In a call with Bo');
  });
});

describe("the other side's screen (view-model)", () => {
  it('the status says they share; the camera-off overlay does not show while they do', () => {
    const s = run(withCall('connected'), media(1, { screen: true, camera: false })).state;
    expect(statusText(s, 1)).toBe('In a call with Bo — Bo is sharing their screen');
    expect(remoteCameraOff(s)).toBeNull();
    const muted = run(s, media(2, { screen: true, mic: false })).state;
    expect(statusText(muted, 1)).toBe('In a call with Bo — Bo muted their microphone and is sharing their screen');
    const dark = run(muted, media(3, { camera: false })).state;
    expect(statusText(dark, 1)).toBe('In a call with Bo — Bo turned their camera off');
    expect(remoteCameraOff(dark)).toBe('Bo');
  });
});

describe('screen sharing (Peer, virtual time)', () => {
  it(
    'S asks the picker; the screen replaces the camera on the sender and in the self-view and is told; S again stops it and reopens the camera',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, presence('bo', 'available', 'Bo')]],
        intents: [
          [20, { kind: 'call', peerId: 'bo' }],
          [300, { kind: 'toggle-screen' }],
          [600, { kind: 'toggle-screen' }],
        ],
        messages: [[100, msg('bo', { peerAction: 'accept', peerName: 'Bo', callId: 'call-1' })]],
        connections: [{ state: '150ms c', remote: '100ms s' }],
        display: '50ms t',
        camera: '10ms t',
        until: 1000,
      });
      h.flush();
      const video = (t: string) => /^(replace|self-view|screen|camera\d|track conn0 video|send bo media)/.test(t);
      expect(h.log.filter(([, t]) => video(t))).toEqual([
        [20, 'self-view conn0-stream'],
        [300, 'screen1 asked'],
        [350, 'track conn0 video stopped'], // the camera goes only once the picker gave a screen
        [350, 'replace conn0 video screen1'],
        [350, 'self-view stream-of-screen1'],
        [350, 'send bo media call-1'],
        [600, 'send bo media call-1'],
        [600, 'screen1 stopped'],
        [600, 'camera2 asked'],
        [610, 'replace conn0 video camera2'],
        [610, 'self-view stream-of-camera2'],
        [1000, 'camera2 stopped'],
        [1000, 'self-view none'],
      ]);
      expect(h.statuses().filter(([t]) => t === 350 || t === 600)).toEqual([
        [350, 'In a call with Bo — you are sharing your screen'],
        [600, 'In a call with Bo'],
      ]);
    }),
  );

  it(
    'camera off, then on while the camera is busy: the call goes on without video and the status says why',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, presence('bo', 'available', 'Bo')]],
        intents: [
          [20, { kind: 'call', peerId: 'bo' }],
          [300, { kind: 'toggle-camera' }],
          [400, { kind: 'toggle-camera' }],
        ],
        messages: [[100, msg('bo', { peerAction: 'accept', peerName: 'Bo', callId: 'call-1' })]],
        connections: [{ state: '150ms c' }],
        camera: '5ms #',
        videoError: new RtcError('no-device'),
        until: 1000,
      });
      h.flush();
      expect(h.log.filter(([t, x]) => t >= 300 && t < 1000 && /^(replace|camera\d|track conn0 video|controls|status)/.test(x))).toEqual([
        [300, 'controls toggle-mic:on toggle-camera:off toggle-screen:off verify hangup'],
        [300, 'track conn0 video stopped'],
        [300, 'replace conn0 video none'],
        [400, 'controls toggle-mic:on toggle-camera:on toggle-screen:off verify hangup'],
        [400, 'camera1 asked'],
        [405, 'status In a call with Bo — your camera could not be turned back on: it was not found'],
        [405, 'controls toggle-mic:on toggle-camera:off toggle-screen:off verify hangup'],
        [405, 'replace conn0 video none'],
      ]);
    }),
  );
});

describe('callConnection$ self-view (browser defaults)', () => {
  it('a reopened camera is shown in a stream of its own (new MediaStream), also as the preview until the other side shows', async () => {
    const made: unknown[][] = [];
    const Native = (globalThis as { MediaStream?: unknown }).MediaStream;
    (globalThis as { MediaStream?: unknown }).MediaStream = class {
      constructor(tracks: unknown[]) {
        made.push(tracks);
      }
    };
    const shown: string[] = [];
    const initial = Object.assign(new EventTarget(), { kind: 'video', readyState: 'live', stop: () => undefined }) as unknown as MediaStreamTrack;
    const fresh = Object.assign(new EventTarget(), { kind: 'video', readyState: 'live', stop: () => undefined }) as unknown as MediaStreamTrack;
    const stream = { getVideoTracks: () => [initial], getAudioTracks: () => [] } as unknown as MediaStream;
    const flags$ = new BehaviorSubject<LocalChoice>({ mic: true, camera: false, screen: false, agreed: true });
    const sub = callConnection$(
      { callId: 'c1', peerId: 'bo', polite: true },
      NEVER,
      NEVER,
      {
        iceServers: [],
        client: { send: () => undefined },
        view: { setVideo: (v) => shown.push(`video ${v === null ? 'poster' : v.fit}`), setSelfView: (s) => shown.push(`self ${s === null ? 'none' : 'stream'}`) },
        callMedia: () => of<CallMediaEvent>({ kind: 'local', stream, replaceTrack: () => of(undefined) }),
        video: { camera: () => of(fresh), display: () => NEVER },
      },
      flags$,
    ).subscribe();
    flags$.next({ mic: true, camera: true, screen: false, agreed: true });
    sub.unsubscribe();
    (globalThis as { MediaStream?: unknown }).MediaStream = Native;
    expect(made).toEqual([[fresh]]);
    expect(shown).toEqual(['self stream', 'video cover', 'self none', 'video poster', 'self stream', 'video cover', 'video poster', 'self none']);
  });
});
