import { Observable } from 'rxjs';

/**
 * A resource held by its subscription: emits it once, never completes, releases it in teardown. A
 * `make` that throws is the stream's error (e.g. RTCPeerConnection with a malformed ICE server URL).
 */
export function holding<T>(make: () => T, release: (resource: T) => void): Observable<T> {
  return new Observable<T>((subscriber) => {
    let resource: T;
    try {
      resource = make();
    } catch (error: unknown) {
      subscriber.error(error);
      return undefined;
    }
    subscriber.next(resource);
    return () => release(resource);
  });
}

export const stopAll = (stream: MediaStream): void => {
  for (const t of stream.getTracks()) t.stop();
};

/**
 * What `get` opens (getUserMedia, getDisplayMedia, …), emitted once then complete: the subscriber owns
 * its tracks from then on. A stream that arrives after unsubscribing (the person moved on while the
 * browser was still opening it) is stopped at once, so no camera light stays on.
 */
export function userMedia(get: () => Promise<MediaStream>): Observable<MediaStream> {
  return new Observable<MediaStream>((subscriber) => {
    let done = false;
    get().then(
      (stream) => {
        if (done) return stopAll(stream);
        subscriber.next(stream);
        subscriber.complete();
      },
      (error: unknown) => subscriber.error(error),
    );
    return () => {
      done = true;
    };
  });
}

/** A device by id for getUserMedia: '' is the browser's default, any other exactly that one. */
export const exactly = (id: string): true | MediaTrackConstraints => (id === '' ? true : { deviceId: { exact: id } });
