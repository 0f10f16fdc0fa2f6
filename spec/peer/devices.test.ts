import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, NEVER, of, take, toArray } from 'rxjs';
import { marbles } from 'rxjs-marbles/jest';
import { callConnection$ } from '../../src/peer/call-connection';
import { initialState, type Call, type PeerEvent, type PeerState } from '../../src/peer/peer-state';
import { reduce } from '../../src/peer/reduce';
import { controls, dialog, statusText } from '../../src/peer/view-model';
import type { CallAudioEvent } from '../../src/rtc/call-audio';
import type { Intent } from '../../src/view/ui-types';
import { View } from '../../src/view/view';
import type { CallMediaOptions } from '../../src/rtc/connection-types';
import { AUDIO_KEY, type DeviceInfo } from '../../src/rtc/audio-devices';
import { presence, runHarness } from './harness';

const devices: Call['devices'] = { mics: [{ id: 'm1', label: 'Headset <b>' }, { id: 'm2', label: 'Microphone 2' }], speakers: [{ id: 's1', label: 'Speaker 1' }], cameras: [{ id: 'c1', label: 'Camera 1' }, { id: 'c2', label: 'Back' }], mic: 'm2', speaker: '' };
const withCall = (extra: Partial<Call> = {}): PeerState => ({
  ...initialState('ann', 'Ann', { mic: 'm2', speaker: '' }),
  client: { kind: 'online' },
  call: { phase: 'connected', callId: 'c1', peerId: 'bo', peerName: 'Bo', since: 0, offerSent: true, ...extra },
});
const intent = (i: Intent): PeerEvent => ({ kind: 'intent', intent: i });
const audio = (event: CallAudioEvent, callId = 'c1'): PeerEvent => ({ kind: 'call-audio', callId, event });

describe('Devices dialog (reduce, view-model)', () => {
  it('the control appears once the call listed its devices; it opens the dialog with the lists and those in use', () => {
    expect(controls(withCall()).map((c) => c.kind)).toEqual(['toggle-mic', 'toggle-camera', 'toggle-screen', 'verify', 'hangup']);
    expect(reduce(withCall(), intent({ kind: 'open-devices' }), 0).state.choosingDevices).toBe(false); // nothing to choose from yet
    const listed = reduce(withCall(), audio({ kind: 'devices', ...devices }), 0).state;
    expect(controls(listed).map((c) => c.kind)).toEqual(['toggle-mic', 'toggle-camera', 'toggle-screen', 'devices', 'verify', 'hangup']);
    const open = reduce(listed, intent({ kind: 'open-devices' }), 0).state;
    expect(dialog(open)).toEqual({ kind: 'devices', ...devices, camera: '' });
    // The camera shown is the one chosen; an audio-only call has none to choose.
    expect(dialog({ ...open, audio: { ...open.audio, camera: 'c2' } })).toMatchObject({ camera: 'c2', cameras: devices?.cameras });
    expect(dialog({ ...open, call: { ...open.call!, audioOnly: 'no-camera' } })).toMatchObject({ cameras: [] });
    expect(dialog(reduce(open, intent({ kind: 'close-dialog' }), 0).state)).toBeNull();
    expect(dialog(reduce(open, intent({ kind: 'hangup' }), 0).state)).toBeNull(); // the call ended: no dialog left behind
  });

  it('a choice is kept in the state (the call follows it) and saved for the next call', () => {
    const step = reduce(withCall({ devices }), intent({ kind: 'choose-device', role: 'speaker', deviceId: 's1' }), 0);
    expect(step.state.audio).toEqual({ mic: 'm2', speaker: 's1' });
    expect(step.effects).toEqual([{ kind: 'save-audio', audio: { mic: 'm2', speaker: 's1' } }]);
  });

  it('device trouble is said with the call for 10 s; another call\'s events are ignored', () => {
    const lost = reduce(withCall(), audio({ kind: 'device-trouble', role: 'mic', lost: true }), 1000).state;
    expect(statusText(lost)).toBe('In a call with Bo — Your microphone was disconnected — now using the default microphone');
    expect(statusText(reduce(lost, { kind: 'clock' }, 11_000).state)).toBe('In a call with Bo');
    const camera = reduce(withCall(), audio({ kind: 'device-trouble', role: 'camera', lost: true }), 1000).state;
    expect(statusText(camera)).toBe('In a call with Bo — Your camera was disconnected — now using the default camera');
    const failed = reduce(withCall({ phase: 'connecting' }), audio({ kind: 'device-trouble', role: 'speaker', lost: false }), 0).state;
    expect(statusText(failed)).toBe('Connecting to Bo… — Could not switch the speaker — still using the previous one');
    expect(reduce(withCall(), audio({ kind: 'devices', ...devices }, 'old'), 0).state).toEqual(withCall());
    // A notice from before the call (e.g. a missed call) is not said in it.
    expect(statusText({ ...withCall(), notice: { text: 'Missed call from Bo', until: 10_000 } })).toBe('In a call with Bo');
  });
});

describe('Devices dialog (View, jsdom)', () => {
  const page = readFileSync(join(__dirname, '../../static/channel.html'), 'utf8');
  it('selects of the devices (labels as text), the one in use selected, a change is an intent; Devices and Done are buttons', () => {
    // The test fixture is our own static page (the DOM contract), so parsing it as markup is safe here.
    document.documentElement.innerHTML = new DOMParser().parseFromString(page, 'text/html').documentElement.innerHTML;
    const view = new View(document);
    const intents: Intent[] = [];
    const sub = view.intents$.subscribe((i) => intents.push(i));
    expect(view.setSpeaker).toBeNull(); // jsdom has no setSinkId
    view.setControls([{ kind: 'devices' }]);
    document.querySelector<HTMLButtonElement>('#call-controls button')?.click();
    view.showDialog({ kind: 'devices', ...devices, camera: 'c2' });
    const content = document.getElementById('modal-content') as HTMLElement;
    expect(content.querySelector('h3')?.textContent).toBe('Devices');
    const [mics, speakers, cameras] = Array.from(content.querySelectorAll('select'));
    expect(Array.from(mics.options).map((o) => [o.value, o.text, o.selected])).toEqual([['m1', 'Headset <b>', false], ['m2', 'Microphone 2', true]]);
    expect(content.querySelector('b')).toBeNull();
    expect(speakers.name).toBe('speaker');
    expect(Array.from(cameras.options).map((o) => [o.value, o.text, o.selected])).toEqual([['c1', 'Camera 1', false], ['c2', 'Back', true]]);
    cameras.value = 'c1';
    cameras.dispatchEvent(new Event('change', { bubbles: true }));
    mics.dispatchEvent(new KeyboardEvent('keydown', { key: 'm', bubbles: true })); // type-ahead in the select, not Mute
    mics.value = 'm1';
    mics.dispatchEvent(new Event('change', { bubbles: true }));
    content.querySelector<HTMLButtonElement>('footer button')?.click();
    expect(intents).toEqual([{ kind: 'open-devices' }, { kind: 'choose-device', role: 'camera', deviceId: 'c1' }, { kind: 'choose-device', role: 'mic', deviceId: 'm1' }, { kind: 'close-dialog' }]);
    view.showDialog({ kind: 'devices', ...devices, camera: '', speakers: null, cameras: [] });
    expect(content.querySelectorAll('select')).toHaveLength(1);
    sub.unsubscribe();
  });

  it('where the browser has setSinkId, the speaker is set on #media-player', async () => {
    document.documentElement.innerHTML = new DOMParser().parseFromString(page, 'text/html').documentElement.innerHTML;
    const sinks: string[] = [];
    const video = document.getElementById('media-player') as HTMLVideoElement;
    Object.assign(video, { setSinkId: (id: string) => Promise.resolve(void sinks.push(id)) });
    await new View(document).setSpeaker?.('usb');
    expect(sinks).toEqual(['usb']);
  });
});

describe('Devices in the Peer (virtual time)', () => {
  it('the remembered microphone opens the next call; a choice is saved in the store', marbles((m) => {
    const pending = { enumerateDevices: () => new Promise<never>(() => undefined), getUserMedia: () => new Promise<never>(() => undefined), addEventListener: () => undefined, removeEventListener: () => undefined };
    const h = runHarness(m, {
      presence: [[10, presence('bo', 'available', 'Bo')]],
      intents: [[20, { kind: 'call', peerId: 'bo' }], [30, { kind: 'choose-device', role: 'mic', deviceId: 'headset' }]],
      mediaDevices: pending,
      audio: { mic: 'usb', speaker: '' },
      until: 1000,
    });
    h.flush();
    expect(h.conn()[0]).toEqual([20, 'conn0 created polite mic usb']);
    expect(JSON.parse(h.names.get(AUDIO_KEY) ?? '{}')).toEqual({ mic: 'headset', speaker: '' });
  }));
});

describe('callConnection$ with devices', () => {
  it('opens the chosen microphone and reports the call\'s devices as call-audio events', async () => {
    const list: DeviceInfo[] = [{ kind: 'audioinput', deviceId: 'usb', label: 'USB' }];
    const mediaDevices = Object.assign(new EventTarget(), { enumerateDevices: () => Promise.resolve(list), getUserMedia: () => Promise.reject(new Error('unused')) });
    const stream = { getAudioTracks: () => [], getVideoTracks: () => [] } as unknown as MediaStream;
    const options: CallMediaOptions[] = [];
    const events = await firstValueFrom(
      callConnection$({ callId: 'c1', peerId: 'bo', polite: true, mic: 'usb', camera: 'front' }, NEVER, NEVER, {
        client: { send: () => undefined },
        view: { setVideo: () => undefined, setSpeaker: () => Promise.resolve() },
        iceServers: [],
        mediaDevices: mediaDevices as unknown as MediaDevices,
        callMedia: (o) => {
          options.push(o);
          return of({ kind: 'local', stream, replaceTrack: () => of(undefined) });
        },
      }, NEVER, of({ mic: 'usb', speaker: '' })).pipe(take(2), toArray()),
    );
    expect([options[0].mic, options[0].camera]).toEqual(['usb', 'front']);
    expect(events).toEqual([
      { kind: 'media-ready', callId: 'c1', audioOnly: 'no-camera' },
      { kind: 'call-audio', callId: 'c1', event: { kind: 'devices', mics: [{ id: 'usb', label: 'USB' }], speakers: [], cameras: [], mic: 'usb', speaker: '' } },
    ]);
  });
});

describe('callConnection$ with a camera choice', () => {
  it('the chosen camera is opened on the video sender; the camera unplugged is told as the call\'s device trouble', () => {
    const live = () => Object.assign(new EventTarget(), { kind: 'video', readyState: 'live', stop: () => undefined }) as unknown as MediaStreamTrack;
    const initial = live();
    const asked: string[] = [];
    const opened: MediaStreamTrack[] = [];
    const events: PeerEvent[] = [];
    const stream = { getVideoTracks: () => [initial], getAudioTracks: () => [] } as unknown as MediaStream;
    const sub = callConnection$(
      { callId: 'c1', peerId: 'bo', polite: true, camera: 'front' },
      NEVER,
      NEVER,
      {
        iceServers: [],
        client: { send: () => undefined },
        view: { setVideo: () => undefined },
        streamOf: () => stream,
        callMedia: () => of({ kind: 'local', stream, replaceTrack: () => of(undefined) }),
        video: { camera: (id) => (asked.push(id), of(opened[opened.push(live()) - 1])), display: () => NEVER },
      },
      of({ mic: true, camera: true, screen: false, agreed: true }),
      of({ mic: '', speaker: '', camera: 'back' }),
    ).subscribe((e) => events.push(e));
    expect(asked).toEqual(['back']); // the choice moved on from the camera the call opened ('front')
    opened[0].dispatchEvent(new Event('ended')); // unplugged: the default camera is opened
    expect(asked).toEqual(['back', '']);
    expect(events).toContainEqual({ kind: 'call-audio', callId: 'c1', event: { kind: 'device-trouble', role: 'camera', lost: true } });
    sub.unsubscribe();
  });
});
