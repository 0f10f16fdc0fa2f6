import { Observable } from 'rxjs';
import { RtcError } from './connection-types';

/** The part of `navigator.mediaDevices` we use; injected so tests pass a fake. */
export interface MediaDevicesLike {
  enumerateDevices(): Promise<readonly Pick<MediaDeviceInfo, 'kind'>[]>;
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
}

const errorName = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';

/** Errors after which an audio-only attempt is worth making: the camera is missing, busy or unusable. */
const cameraTrouble = new Set(['NotFoundError', 'NotReadableError', 'OverconstrainedError', 'AbortError']);

/** Maps a getUserMedia rejection to the reason the Peer shows. */
export function mediaFailure(error: unknown): RtcError {
  const name = errorName(error);
  // SecurityError: media blocked by policy (e.g. an iframe without allow="camera"), as good as denied.
  const reason = name === 'NotAllowedError' || name === 'SecurityError' ? 'media-denied' : 'no-device';
  return new RtcError(reason, { cause: error });
}

/** Kinds of input device present; when the list cannot be read, assume both and let getUserMedia decide. */
async function inputKinds(devices: MediaDevicesLike): Promise<{ audio: boolean; video: boolean }> {
  try {
    const list = await devices.enumerateDevices();
    return { audio: list.some((d) => d.kind === 'audioinput'), video: list.some((d) => d.kind === 'videoinput') };
  } catch {
    return { audio: true, video: true };
  }
}

async function getMedia(devices: MediaDevicesLike, mic: string | undefined): Promise<MediaStream> {
  const kinds = await inputKinds(devices);
  // `ideal`, not `exact`: a remembered microphone that is gone falls back to the default.
  const audio = kinds.audio && mic ? { deviceId: mic } : kinds.audio;
  if (!kinds.audio && !kinds.video) throw new RtcError('no-device');
  try {
    return await devices.getUserMedia({ audio, video: kinds.video });
  } catch (error: unknown) {
    // A camera that is listed but cannot be opened should not stop a voice call.
    if (!(kinds.video && kinds.audio && cameraTrouble.has(errorName(error)))) throw mediaFailure(error);
  }
  try {
    return await devices.getUserMedia({ audio, video: false });
  } catch (error: unknown) {
    throw mediaFailure(error);
  }
}

/**
 * Camera and microphone (`mic`: that one where it is listed; audio only without a usable camera), emitted once. Fails with RtcError
 * `media-denied` or `no-device`. Unsubscribing before the browser answers stops the tracks it delivers
 * later, so a cancelled call never leaves the camera on.
 */
export function acquireLocalMedia(devices: MediaDevicesLike | undefined, mic?: string): Observable<MediaStream> {
  return new Observable<MediaStream>((subscriber) => {
    let cancelled = false;
    if (devices === undefined) {
      // navigator.mediaDevices is absent outside a secure context.
      subscriber.error(new RtcError('no-device', { cause: new Error('navigator.mediaDevices is not available') }));
      return undefined;
    }
    getMedia(devices, mic).then(
      (stream) => {
        if (cancelled) {
          for (const track of stream.getTracks()) track.stop();
          return;
        }
        subscriber.next(stream);
        subscriber.complete();
      },
      (error: unknown) => subscriber.error(error instanceof RtcError ? error : mediaFailure(error)),
    );
    return () => {
      cancelled = true;
    };
  });
}
