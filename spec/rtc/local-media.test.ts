// Local media: camera + microphone, audio only without a usable camera, typed failures otherwise.
import { firstValueFrom } from 'rxjs';
import { RtcError } from '../../src/rtc/connection-types';
import { acquireLocalMedia, audioOnlyReason, mediaFailure } from '../../src/rtc/local-media';
import { FakeMediaDevices, domError, type FakeDevicesOptions } from './fake-media';
import { lastState, makePair } from './pair';

const kinds = (s: MediaStream) => s.getTracks().map((t) => t.kind).sort();
const reasonOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof RtcError ? e.reason : `not an RtcError: ${String(e)}`),
  );

function initWith(options: FakeDevicesOptions) {
  const devices = new FakeMediaDevices(options);
  return { devices, media: firstValueFrom(acquireLocalMedia(devices)) };
}

describe('local media', () => {
  it('camera and microphone: one stream with both', async () => {
    const { media, devices } = initWith({});
    expect(kinds(await media)).toEqual(['audio', 'video']);
    expect(devices.requests).toEqual([{ audio: true, video: true }]);
  });

  it('no camera: audio only, without asking for video, and says why', async () => {
    const { media, devices } = initWith({ cameras: 0 });
    const stream = await media;
    expect(kinds(stream)).toEqual(['audio']);
    expect(audioOnlyReason(stream)).toBe('no-camera');
    expect(devices.requests).toEqual([{ audio: true, video: false }]);
  });

  it('a camera and microphone stream has no audio-only reason', async () => {
    expect(audioOnlyReason(await initWith({}).media)).toBeUndefined();
  });

  it.each([
    ['NotReadableError', 'camera-busy'],
    ['AbortError', 'camera-busy'],
    ['NotFoundError', 'no-camera'],
    ['OverconstrainedError', 'no-camera'],
    ['NotAllowedError', 'camera-blocked'],
    ['SecurityError', 'camera-blocked'],
  ])('the camera fails with %s, the microphone works: audio only, "%s"', async (name, reason) => {
    const { media, devices } = initWith({ rejectWith: name, rejectVideoOnly: true });
    const stream = await media;
    expect(kinds(stream)).toEqual(['audio']);
    expect(audioOnlyReason(stream)).toBe(reason);
    expect(devices.requests).toEqual([{ audio: true, video: true }, { audio: true, video: false }]);
  });

  it('an unknown camera error (TypeError) fails at once, without an audio-only retry', async () => {
    const { media, devices } = initWith({ rejectWith: 'TypeError', rejectVideoOnly: true });
    expect(await reasonOf(media)).toBe('no-device');
    expect(devices.requests).toHaveLength(1);
  });

  it('no microphone and the camera denied: "media-denied" without a retry (nothing else to ask for)', async () => {
    const { media, devices } = initWith({ microphones: 0, rejectWith: 'NotAllowedError' });
    expect(await reasonOf(media)).toBe('media-denied');
    expect(devices.requests).toEqual([{ audio: false, video: true }]);
  });

  it('the microphone busy as well: "device-busy"', async () => {
    const { media, devices } = initWith({ rejectWith: 'NotReadableError' });
    expect(await reasonOf(media)).toBe('device-busy');
    expect(devices.requests).toHaveLength(2);
  });

  it('the remembered microphone is asked for as `ideal` (a missing one falls back to the default), in the audio-only retry too', async () => {
    const devices = new FakeMediaDevices({ rejectWith: 'NotReadableError', rejectVideoOnly: true });
    await firstValueFrom(acquireLocalMedia(devices, 'headset'));
    expect(devices.requests).toEqual([{ audio: { deviceId: 'headset' }, video: true }, { audio: { deviceId: 'headset' }, video: false }]);
  });

  it('no microphone: video only', async () => {
    const { media } = initWith({ microphones: 0 });
    expect(kinds(await media)).toEqual(['video']);
  });

  it('no device at all: "no-device"', async () => {
    const { media, devices } = initWith({ cameras: 0, microphones: 0 });
    expect(await reasonOf(media)).toBe('no-device');
    expect(devices.requests).toEqual([]); // nothing to ask for
  });

  it('camera and microphone denied (NotAllowedError): "media-denied" after one audio-only try', async () => {
    const { media, devices } = initWith({ rejectWith: 'NotAllowedError' });
    const error = await media.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtcError);
    expect((error as RtcError).reason).toBe('media-denied');
    expect(((error as RtcError).cause as Error).name).toBe('NotAllowedError');
    expect(devices.requests).toEqual([{ audio: true, video: true }, { audio: true, video: false }]);
  });

  it('a denied microphone without a camera: "media-denied" after the one audio request', async () => {
    const { media, devices } = initWith({ cameras: 0, rejectWith: 'NotAllowedError' });
    expect(await reasonOf(media)).toBe('media-denied');
    expect(devices.requests).toHaveLength(1);
  });

  it('the device list cannot be read: ask for both and let getUserMedia decide', async () => {
    const { media, devices } = initWith({ enumerateFails: true });
    expect(kinds(await media)).toEqual(['audio', 'video']);
    expect(devices.requests).toEqual([{ audio: true, video: true }]);
  });

  it('denied media fails the call with "media-denied" and releases its RTCPeerConnection', async () => {
    const p = await makePair({ a: { media: { rejectWith: 'NotAllowedError' } } });
    p.a.connection.open(true);
    p.b.connection.open(false);
    p.run();
    expect(lastState(p.a)).toBe('failed');
    expect((p.a.error as RtcError).reason).toBe('media-denied');
    expect(p.a.pc().signalingState).toBe('closed');
    expect(p.a.pc().listenerCount()).toBe(0);
    expect(p.a.logs.map((l) => l.message)).toContain('polite: call media failed (media-denied)');
  });

  it('without navigator.mediaDevices (an insecure page): "no-device"', async () => {
    expect(await reasonOf(firstValueFrom(acquireLocalMedia(undefined)))).toBe('no-device');
  });

  it.each([
    ['NotAllowedError', 'media-denied'],
    ['SecurityError', 'media-denied'],
    ['NotFoundError', 'no-device'],
    ['OverconstrainedError', 'no-device'],
    ['NotReadableError', 'device-busy'],
    ['AbortError', 'device-busy'],
  ])('maps %s to %s', (name, reason) => {
    expect(mediaFailure(domError(name)).reason).toBe(reason);
  });

  it('maps a non-Error rejection to "no-device"', () => {
    expect(mediaFailure('weird').reason).toBe('no-device');
  });
});
