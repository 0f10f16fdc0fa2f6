import { EMPTY, Observable, catchError, combineLatest, concat, connect, defer, distinctUntilChanged, filter, fromEvent, ignoreElements, map, merge, mergeMap, of, switchMap, take } from 'rxjs';
import { RtcError, type RtcFailure } from './connection-types';
import { mediaFailure } from './local-media';

/** What the person wants sent as video: the camera (if on), or their screen (which wins while shared). */
export interface VideoWish {
  readonly camera: boolean;
  readonly screen: boolean;
}

export type VideoSenderEvent =
  /** The video sender now carries this track (null: nothing); the self-view shows it. */
  | { readonly kind: 'sending'; readonly track: MediaStreamTrack | null }
  /** Our screen is on the sender (`true`), or sharing ended without our button: stopped from the browser's UI, the picker refused. */
  | { readonly kind: 'sharing'; readonly on: boolean }
  /** The camera could not be turned back on: the call goes on without our video. */
  | { readonly kind: 'camera-failed'; readonly reason: RtcFailure };

export interface VideoSenderDeps {
  /** A fresh camera track, held by the subscription (see `heldTrack`). */
  readonly camera: () => Observable<MediaStreamTrack>;
  /** A display (screen, window, tab) track from the browser's picker, held likewise. */
  readonly display: () => Observable<MediaStreamTrack>;
  /** Puts the track on the call's video sender, with no renegotiation. */
  readonly replace: (track: MediaStreamTrack | null) => Observable<void>;
}

const stopAll = (stream: MediaStream): void => {
  for (const t of stream.getTracks()) t.stop();
};

/**
 * The first video track of what `get` gives, held while subscribed: emitted once, stopped at
 * unsubscribe, and stopped at once when it arrives after unsubscribe (the person changed their mind
 * while the browser was still opening it).
 */
export function heldTrack(get: () => Promise<MediaStream>, failure: (error: unknown) => unknown = (e) => e): Observable<MediaStreamTrack> {
  return new Observable<MediaStreamTrack>((subscriber) => {
    let held: MediaStream | undefined;
    let done = false;
    get().then(
      (stream) => {
        if (done) return stopAll(stream);
        held = stream;
        const [track] = stream.getVideoTracks();
        if (track === undefined) subscriber.error(new RtcError('no-device'));
        else subscriber.next(track);
      },
      (error: unknown) => subscriber.error(failure(error)),
    );
    return () => {
      done = true;
      if (held !== undefined) stopAll(held);
    };
  });
}

/** The browser's camera and screen picker; without `mediaDevices` (no secure context) the camera fails as missing. */
export function browserVideo(devices: MediaDevices | undefined = navigator.mediaDevices): Pick<VideoSenderDeps, 'camera' | 'display'> {
  const present = (): MediaDevices => {
    if (devices === undefined) throw new RtcError('no-device');
    return devices;
  };
  return {
    camera: () => heldTrack(async () => present().getUserMedia({ video: true }), (e) => (e instanceof RtcError ? e : mediaFailure(e))),
    display: () => heldTrack(async () => present().getDisplayMedia({ video: true })),
  };
}

/** Keeps a track that is already sent until unsubscribed, then stops it. */
const keeping = (track: MediaStreamTrack): Observable<never> => new Observable<never>(() => () => track.stop());

type Screen = MediaStreamTrack | null | 'ended';

/**
 * Which track the call's video sender carries, as the person's wish changes (current wish first), for
 * as long as subscribed. `initial`: the camera track the call started with, already on the sender.
 * Camera off stops the camera (its light goes off) and sends nothing; camera on opens it again. A
 * screen replaces whatever is sent only once the picker gave one, so a refused picker changes nothing;
 * when it ends (our button, or the browser's own "Stop sharing") the camera, if on, comes back. Every
 * track lives in one inner subscription, so a camera or screen that arrives after the wish moved on
 * is stopped.
 */
export function videoSender$(wish$: Observable<VideoWish>, initial: MediaStreamTrack, deps: VideoSenderDeps): Observable<VideoSenderEvent> {
  return defer(() => {
    let first: MediaStreamTrack | null = initial; // used by the first `camera` only, stopped by anything else
    const takeFirst = (): MediaStreamTrack | null => {
      const t = first;
      first = null;
      return t;
    };
    const send = (track: MediaStreamTrack | null): Observable<VideoSenderEvent> =>
      concat(deps.replace(track).pipe(ignoreElements()), of<VideoSenderEvent>({ kind: 'sending', track }));

    const camera$ = defer((): Observable<VideoSenderEvent> => {
      const t = takeFirst();
      if (t !== null && t.readyState === 'live') return keeping(t); // already on the sender, and already shown
      t?.stop();
      return deps.camera().pipe(mergeMap(send));
    }).pipe(catchError((error: unknown) => of<VideoSenderEvent>({ kind: 'camera-failed', reason: error instanceof RtcError ? error.reason : 'no-device' })));
    const source = (s: MediaStreamTrack | 'camera' | 'none'): Observable<VideoSenderEvent> => {
      if (s === 'camera') return camera$;
      takeFirst()?.stop();
      if (s === 'none') return send(null).pipe(catchError(() => EMPTY));
      return concat(send(s), of<VideoSenderEvent>({ kind: 'sharing', on: true })).pipe(catchError(() => of<VideoSenderEvent>({ kind: 'sharing', on: false })));
    };

    return wish$.pipe(
      connect((w$) => {
        const screen$ = w$.pipe(
          map((w) => w.screen),
          distinctUntilChanged(),
          switchMap((on): Observable<Screen> =>
            on
              ? deps.display().pipe(
                  switchMap((t) => concat(of(t), fromEvent(t, 'ended').pipe(take(1), map(() => 'ended' as const)))),
                  catchError(() => of('ended' as const)),
                )
              : of(null),
          ),
        );
        return screen$.pipe(
          connect((s$) =>
            merge(
              s$.pipe(filter((s) => s === 'ended'), map((): VideoSenderEvent => ({ kind: 'sharing', on: false }))),
              combineLatest([w$.pipe(map((w) => w.camera)), s$]).pipe(
                map(([camera, s]) => (s !== null && s !== 'ended' ? s : camera ? ('camera' as const) : ('none' as const))),
                distinctUntilChanged(),
                switchMap(source),
              ),
            ),
          ),
        );
      }),
    );
  });
}
