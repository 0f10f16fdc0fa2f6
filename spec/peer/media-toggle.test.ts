import { marbles } from 'rxjs-marbles/jest';
import { decodePeerMessage } from '../../src/peer/peer-message';
import type { PeerEvent } from '../../src/peer/peer-state';
import { controls, remoteCameraOff, statusText } from '../../src/peer/view-model';
import { run, withCall } from './call-state';
import { msg, presence, runHarness } from './harness';

const mic = { kind: 'intent', intent: { kind: 'toggle-mic' } } as const;
const camera = { kind: 'intent', intent: { kind: 'toggle-camera' } } as const;
const media = (seq: number, m: boolean, c: boolean): PeerEvent => ({ kind: 'message', from: 'bo', message: { kind: 'media', callId: 'c1', seq, mic: m, camera: c, screen: false } });

describe('media message (decode)', () => {
  it('takes a well-formed one and refuses a bad seq, a non-boolean flag or no callId', () => {
    expect(decodePeerMessage({ peerAction: 'media', callId: 'c1', seq: 2, mic: false, camera: true })).toEqual({ ok: true, message: { kind: 'media', callId: 'c1', seq: 2, mic: false, camera: true, screen: false } });
    for (const bad of [{ seq: 0 }, { seq: 1.5 }, { seq: '1' }, { mic: 'no' }, { camera: null }, { callId: '<b>' }]) {
      expect(decodePeerMessage({ peerAction: 'media', callId: 'c1', seq: 1, mic: true, camera: true, ...bad }).ok).toBe(false);
    }
  });
});

describe('mute and camera toggles (reduce)', () => {
  it('in a call: each toggle is told with a growing seq, and the controls say what a press does', () => {
    const r = run(withCall('connected'), mic, camera, mic);
    expect(r.sent).toEqual([
      { peerAction: 'media', callId: 'c1', seq: 1, mic: false, camera: true },
      { peerAction: 'media', callId: 'c1', seq: 2, mic: false, camera: false },
      { peerAction: 'media', callId: 'c1', seq: 3, mic: true, camera: false },
    ]);
    expect(controls(r.state)).toEqual([{ kind: 'toggle-mic', on: true }, { kind: 'toggle-camera', on: false, disabled: false }, { kind: 'toggle-screen', on: false, disabled: false }, { kind: 'verify', verified: false }, { kind: 'hangup' }]);
  });

  it('before connect: applied locally, told once the call connects; a default state is not told', () => {
    const early = run(withCall('connecting'), mic);
    expect(early.sent).toEqual([]);
    expect(early.state.call?.local).toEqual({ mic: false, camera: true, screen: false, seq: 0 });
    expect(run(early.state, { kind: 'rtc-state', callId: 'c1', state: 'connected' }).sent).toEqual([{ peerAction: 'media', callId: 'c1', seq: 1, mic: false, camera: true }]);
    expect(run(withCall('connecting'), { kind: 'rtc-state', callId: 'c1', state: 'connected' }).sent).toEqual([]);
  });

  it('after an interruption or the peer re-subscribing, the state is told again (the last one may be lost)', () => {
    const muted = run(withCall('connected'), mic).state;
    const back = run({ ...muted, call: { ...muted.call!, interrupted: true } }, { kind: 'rtc-state', callId: 'c1', state: 'connected' });
    expect(back.sent).toEqual([{ peerAction: 'media', callId: 'c1', seq: 2, mic: false, camera: true }]);
    const ready = run(back.state, { kind: 'presence', from: 'bo', status: 'ready', name: 'Bo' });
    expect(ready.sent).toContainEqual({ peerAction: 'media', callId: 'c1', seq: 3, mic: false, camera: true });
  });

  it('no toggle while it only rings, nor a camera in an audio-only call', () => {
    expect(run(withCall('ringing'), mic).state.call?.local).toBeUndefined();
    expect(controls(withCall('ringing'))).toEqual([]);
    expect(run(withCall('connected', { audioOnly: 'no-camera' }), camera).sent).toEqual([]);
    expect(controls(withCall('connected', { audioOnly: 'no-camera' }))[1]).toEqual({ kind: 'toggle-camera', on: false, disabled: true });
  });

  it("the other side's view: words in the status, their name instead of the picture; a stale seq is ignored", () => {
    const muted = run(withCall('connected'), media(1, false, true)).state;
    expect(statusText(muted, 1)).toBe('In a call with Bo — Bo muted their microphone');
    expect(remoteCameraOff(muted)).toBeNull();
    const dark = run(muted, media(3, true, false)).state;
    expect(statusText(dark, 1)).toBe('In a call with Bo — Bo turned their camera off');
    expect(remoteCameraOff(dark)).toBe('Bo');
    expect(run(dark, media(2, false, false)).state).toBe(dark);
    expect(statusText(run(dark, media(4, false, false)).state, 1)).toBe('In a call with Bo — Bo muted their microphone and turned their camera off');
    expect(statusText(run(dark, media(5, true, true)).state, 1)).toBe('In a call with Bo');
  });

  it('a media message before our side connects is kept and shown from connect on; another call\'s is ignored', () => {
    const early = run(withCall('connecting'), media(1, false, true)).state;
    expect(statusText(early, 1)).toBe('Connecting to Bo…');
    expect(statusText(run(early, { kind: 'rtc-state', callId: 'c1', state: 'connected' }).state, 1)).toBe('In a call with Bo — Bo muted their microphone');
    const other: PeerEvent = { kind: 'message', from: 'bo', message: { kind: 'media', callId: 'c2', seq: 1, mic: false, camera: false, screen: false } };
    expect(run(withCall('connected'), other).state.call?.remote).toBeUndefined();
  });
});

describe('mute and camera (Peer, virtual time)', () => {
  it(
    'a toggle before media is ready reaches the tracks when they exist, then each toggle; told once connected',
    marbles((m) => {
      const h = runHarness(m, {
        presence: [[10, presence('bo', 'available', 'Bo')]],
        intents: [
          [20, { kind: 'call', peerId: 'bo' }],
          [21, { kind: 'toggle-mic' }],
          [200, { kind: 'toggle-camera' }],
        ],
        messages: [[100, msg('bo', { peerAction: 'accept', peerName: 'Bo', callId: 'call-1' })]],
        connections: [{ media: '5ms m', state: '150ms c' }],
        until: 1000,
      });
      h.flush();
      expect(h.log.filter(([, t]) => t.startsWith('track '))).toEqual([
        [25, 'track conn0 audio off'],
        [200, 'track conn0 video stopped'], // camera off releases the camera, and nothing is sent instead
      ]);
      expect(h.log.filter(([, t]) => t.startsWith('replace '))).toEqual([[200, 'replace conn0 video none']]);
      expect(h.sent().filter(([, t]) => t.includes('media'))).toEqual([
        [170, 'send bo media call-1'],
        [200, 'send bo media call-1'],
      ]);
      expect(h.log.filter(([, t]) => t.startsWith('self-view '))).toEqual([
        [25, 'self-view conn0-stream'],
        [200, 'self-view none'], // camera off: nothing sent, nothing to see
        [1000, 'self-view none'],
      ]);
      expect(h.log.filter(([, t]) => t.startsWith('controls ')).at(-1)).toEqual([200, 'controls toggle-mic:off toggle-camera:off toggle-screen:off verify hangup']);
    }),
  );
});
