import type { Observable } from 'rxjs';
import { RtcError, type AudioOnlyReason } from './connection-types';
import { userMedia } from './user-media';

/** The part of `navigator.mediaDevices` we use; injected so tests pass a fake. */
export interface MediaDevicesLike {
  enumerateDevices(): Promise<readonly Pick<MediaDeviceInfo, 'kind'>[]>;
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
}

const errorName = (error: unknown): string =>
  typeof error === 'object' && error !== null && 'name' in error ? String(error.name) : '';

// SecurityError: media blocked by policy (e.g. an iframe without allow="camera"), as good as denied.
const denied = (name: string): boolean => name === 'NotAllowedError' || name === 'SecurityError';
// NotReadableError (Chromium) and AbortError (Firefox): the device exists but could not be started.
const busy = (name: string): boolean => name === 'NotReadableError' || name === 'AbortError';

/** Maps a getUserMedia rejection to the reason the Peer shows. */
export function mediaFailure(error: unknown): RtcError {
  const name = errorName(error);
  return new RtcError(denied(name) ? 'media-denied' : busy(name) ? 'device-busy' : 'no-device', { cause: error });
}

/** Why a camera+microphone request failed in a way a microphone alone may not; undefined: it would fail alike. */
function cameraReason(name: string): AudioOnlyReason | undefined {
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'no-camera';
  if (busy(name)) return 'camera-busy';
  return denied(name) ? 'camera-blocked' : undefined;
}

/** Why a stream acquired here has no camera (set before it is handed out; read by the Peer, src/peer/call-connection.ts). */
const reasons = new WeakMap<MediaStream, AudioOnlyReason>();
export const audioOnlyReason = (stream: MediaStream): AudioOnlyReason | undefined => reasons.get(stream);
export function markAudioOnly(stream: MediaStream, reason: AudioOnlyReason): MediaStream {
  reasons.set(stream, reason);
  return stream;
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

async function getMedia(devices: MediaDevicesLike | undefined, mic: string | undefined, camera: string | undefined): Promise<MediaStream> {
  // navigator.mediaDevices is absent outside a secure context.
  if (devices === undefined) throw new RtcError('no-device', { cause: new Error('navigator.mediaDevices is not available') });
  const kinds = await inputKinds(devices);
  // `ideal`, not `exact`: a remembered microphone or camera that is gone falls back to the default.
  const audio = kinds.audio && mic ? { deviceId: mic } : kinds.audio;
  const video = camera ? { deviceId: camera } : true;
  if (!kinds.audio && !kinds.video) throw new RtcError('no-device');
  let reason: AudioOnlyReason = 'no-camera';
  if (kinds.video) {
    try {
      return await devices.getUserMedia({ audio, video });
    } catch (error: unknown) {
      // A camera that is missing, busy or blocked should not stop a voice call. After a denial this is
      // one more request at most: it prompts only if the microphone was never answered for this site.
      const why = kinds.audio ? cameraReason(errorName(error)) : undefined;
      if (why === undefined) throw mediaFailure(error);
      reason = why;
    }
  }
  try {
    return markAudioOnly(await devices.getUserMedia({ audio, video: false }), reason);
  } catch (error: unknown) {
    throw mediaFailure(error);
  }
}

/**
 * Camera and microphone (`mic`, `camera`: those where listed; audio only without a usable camera, see `audioOnlyReason`), emitted once. Fails
 * with RtcError `media-denied`, `no-device` or `device-busy`. Unsubscribing before the browser answers
 * stops the tracks it delivers later, so a cancelled call never leaves the camera on.
 */
export function acquireLocalMedia(devices: MediaDevicesLike | undefined, mic?: string, camera?: string): Observable<MediaStream> {
  return userMedia(() =>
    getMedia(devices, mic, camera).catch((error: unknown) => {
      throw error instanceof RtcError ? error : mediaFailure(error);
    }),
  );
}
