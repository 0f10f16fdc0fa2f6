// Local media: camera + microphone, audio only without a usable camera, typed failures otherwise.
import { firstValueFrom } from 'rxjs';
import { createConnection } from '../../src/rtc/connection';
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

async function initWith(options: FakeDevicesOptions) {
  const devices = new FakeMediaDevices(options);
  const c = createConnection({ iceServers: [] }, { mediaDevices: devices, log: () => undefined });
  return { devices, c, media: firstValueFrom(c.initMedia()) };
}

describe('local media', () => {
  it('camera and microphone: one stream with both', async () => {
    const { c, media, devices } = await initWith({});
    expect(kinds(await media)).toEqual(['audio', 'video']);
    expect(devices.requests).toEqual([{ audio: true, video: true }]);
    c.close();
  });

  it('no camera: audio only, without asking for video', async () => {
    const { c, media, devices } = await initWith({ cameras: 0 });
    expect(kinds(await media)).toEqual(['audio']);
    expect(devices.requests).toEqual([{ audio: true, video: false }]);
    c.close();
  });

  it('no microphone: video only', async () => {
    const { media } = await initWith({ microphones: 0 });
    expect(kinds(await media)).toEqual(['video']);
  });

  it('a camera that is busy (NotReadableError): audio only', async () => {
    const { media, devices } = await initWith({ rejectWith: 'NotReadableError', rejectVideoOnly: true });
    expect(kinds(await media)).toEqual(['audio']);
    expect(devices.requests).toEqual([{ audio: true, video: true }, { audio: true, video: false }]);
  });

  it('no device at all: "no-device", and localStream$ errors the same way', async () => {
    const { c, media, devices } = await initWith({ cameras: 0, microphones: 0 });
    expect(await reasonOf(media)).toBe('no-device');
    expect(await reasonOf(firstValueFrom(c.localStream$))).toBe('no-device');
    expect(devices.requests).toEqual([]); // nothing to ask for
  });

  it('permission denied (NotAllowedError): "media-denied", without an audio-only retry', async () => {
    const { media, devices } = await initWith({ rejectWith: 'NotAllowedError' });
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
    const { media, devices } = await initWith({ enumerateFails: true });
    expect(kinds(await media)).toEqual(['audio', 'video']);
    expect(devices.requests).toEqual([{ audio: true, video: true }]);
  });

  it('open() after denied media still works, receive-only: the other side is seen', async () => {
    const p = await makePair({ a: { media: { rejectWith: 'NotAllowedError' } } });
    p.a.connection.open(true);
    p.b.connection.open(false);
    p.run();
    expect(lastState(p.a)).toBe('connected');
    expect(kinds(p.a.remoteStreams[0])).toEqual(['audio', 'video']);
    expect(p.b.remoteStreams).toEqual([]);
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
