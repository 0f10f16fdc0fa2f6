// Local media: camera + microphone, audio only without a usable camera, typed failures otherwise.
import { firstValueFrom } from 'rxjs';
import { RtcError } from '../../src/rtc/connection-types';
import { acquireLocalMedia, mediaFailure } from '../../src/rtc/local-media';
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

  it('no camera: audio only, without asking for video', async () => {
    const { media, devices } = initWith({ cameras: 0 });
    expect(kinds(await media)).toEqual(['audio']);
    expect(devices.requests).toEqual([{ audio: true, video: false }]);
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

  it('a camera that is busy (NotReadableError): audio only', async () => {
    const { media, devices } = initWith({ rejectWith: 'NotReadableError', rejectVideoOnly: true });
    expect(kinds(await media)).toEqual(['audio']);
    expect(devices.requests).toEqual([{ audio: true, video: true }, { audio: true, video: false }]);
  });

  it('no device at all: "no-device"', async () => {
    const { media, devices } = initWith({ cameras: 0, microphones: 0 });
    expect(await reasonOf(media)).toBe('no-device');
    expect(devices.requests).toEqual([]); // nothing to ask for
  });

  it('permission denied (NotAllowedError): "media-denied", without an audio-only retry', async () => {
    const { media, devices } = initWith({ rejectWith: 'NotAllowedError' });
    const error = await media.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RtcError);
    expect((error as RtcError).reason).toBe('media-denied');
    expect(((error as RtcError).cause as Error).name).toBe('NotAllowedError');
    expect(devices.requests).toHaveLength(1);
  });

  it('denied for the audio-only retry too: "media-denied"', async () => {
    const devices = new FakeMediaDevices({ rejectWith: 'NotReadableError' });
    expect(await reasonOf(firstValueFrom(acquireLocalMedia(devices)))).toBe('no-device');
    expect(devices.requests).toHaveLength(2);
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
    ['NotReadableError', 'no-device'],
  ])('maps %s to %s', (name, reason) => {
    expect(mediaFailure(domError(name)).reason).toBe(reason);
  });

  it('maps a non-Error rejection to "no-device"', () => {
    expect(mediaFailure('weird').reason).toBe('no-device');
  });
});
