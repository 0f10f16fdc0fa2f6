import { EMPTY, Observable, catchError, combineLatest, concat, connect, defer, distinctUntilChanged, filter, ignoreElements, map, merge, mergeMap, of, switchMap, take } from 'rxjs';
import { fromEvent } from '../dom-event';
import { RtcError, type RtcFailure } from './connection-types';
import { mediaFailure } from './local-media';
import { exactly, holding, stopAll, userMedia } from './user-media';

/** What the person wants sent as video: the camera (if on), or their screen (which wins while shared). */
export interface VideoWish {
  readonly camera: boolean;
  readonly screen: boolean;
  /** The camera chosen (a deviceId; absent or '': the default), opened when the camera is next sent. */
  readonly device?: string;
}

export type VideoSenderEvent =
  /** The video sender now carries this track (null: nothing); the self-view shows it. */
  | { readonly kind: 'sending'; readonly track: MediaStreamTrack | null }
  /** Our screen is on the sender (`true`), or sharing ended without our button: stopped from the browser's UI, the picker refused. */
  | { readonly kind: 'sharing'; readonly on: boolean }
  /** The camera could not be turned back on: the call goes on without our video. */
  | { readonly kind: 'camera-failed'; readonly reason: RtcFailure }
  /** The camera in use went away (unplugged: its track ended by itself) and the default one took over. */
  | { readonly kind: 'camera-lost' };

export interface VideoSenderDeps {
  /** A fresh track of that camera ('' the default), held by the subscription (see `heldTrack`). */
  readonly camera: (deviceId: string) => Observable<MediaStreamTrack>;
  /** A display (screen, window, tab) track from the browser's picker, held likewise. */
  readonly display: () => Observable<MediaStreamTrack>;
  /** Puts the track on the call's video sender, with no renegotiation. */
  readonly replace: (track: MediaStreamTrack | null) => Observable<void>;
}

/**
 * The first video track of what `get` gives, held while subscribed: emitted once, stopped at
 * unsubscribe, and stopped at once when it arrives after unsubscribe (see `userMedia`).
 */
export function heldTrack(get: () => Promise<MediaStream>, failure: (error: unknown) => unknown = (e) => e): Observable<MediaStreamTrack> {
  return userMedia(() =>
    get().catch((error: unknown) => {
      throw failure(error);
    }),
  ).pipe(
    mergeMap((stream) =>
      holding(
        () => {
          const [track] = stream.getVideoTracks();
          if (track !== undefined) return track;
          stopAll(stream); // nothing to hold: what came is released now
          throw new RtcError('no-device');
        },
        () => stopAll(stream),
      ),
    ),
  );
}

/** The browser's camera and screen picker; without `mediaDevices` (no secure context) the camera fails as missing. */
export function browserVideo(devices: MediaDevices | undefined = navigator.mediaDevices): Pick<VideoSenderDeps, 'camera' | 'display'> {
  const present = (): MediaDevices => {
    if (devices === undefined) throw new RtcError('no-device');
    return devices;
  };
  return {
    camera: (id) => heldTrack(async () => present().getUserMedia({ video: exactly(id) }), (e) => (e instanceof RtcError ? e : mediaFailure(e))),
    display: () => heldTrack(async () => present().getDisplayMedia({ video: true })),
  };
}

type Screen = MediaStreamTrack | null | 'ended';
type Source = MediaStreamTrack | 'none' | `camera:${string}`;

/**
 * Which track the call's video sender carries, as the person's wish changes (current wish first), for
 * as long as subscribed. `initial`: the camera track the call started with, already on the sender.
 * Camera off stops the camera (its light goes off) and sends nothing; camera on opens it again. A
 * screen replaces whatever is sent only once the picker gave one, so a refused picker changes nothing;
 * when it ends (our button, or the browser's own "Stop sharing") the camera, if on, comes back. A new
 * camera choice (`device`) opens that camera while it is sent, else when it is next sent. A camera
 * whose track ends by itself (unplugged) gives way to the default one (`camera-lost`), or to nothing
 * (`camera-failed`) when none is left. Every
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

    const camera$ = (id: string, lost: boolean): Observable<VideoSenderEvent> =>
      defer(() => {
        const t = takeFirst();
        const live = t !== null && t.readyState === 'live'; // already on the sender, and already shown
        if (!live) t?.stop();
        return (live ? holding(() => t, () => t.stop()) : deps.camera(id)).pipe(
          switchMap((track) =>
            concat(
              live ? EMPTY : send(track),
              lost ? of<VideoSenderEvent>({ kind: 'camera-lost' }) : EMPTY,
              fromEvent(track, 'ended').pipe(take(1), switchMap(() => camera$('', true))),
            ),
          ),
        );
      }).pipe(catchError((error: unknown) => of<VideoSenderEvent>({ kind: 'camera-failed', reason: error instanceof RtcError ? error.reason : 'no-device' })));
    const source = (s: Source): Observable<VideoSenderEvent> => {
      if (typeof s === 'string' && s !== 'none') return camera$(s.slice(7), false);
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
              combineLatest([w$, s$]).pipe(
                map(([w, s]): Source => (s !== null && s !== 'ended' ? s : w.camera ? `camera:${w.device ?? ''}` : 'none')),
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
