import { EMPTY, NEVER, catchError, combineLatest, defer, distinctUntilChanged, filter, finalize, ignoreElements, map, merge, mergeMap, of, startWith, take, tap, type Observable } from 'rxjs';
import type { AudioChoice } from '../rtc/audio-devices';
import { browserAudio, callAudio$, type AudioDevices } from '../rtc/call-audio';
import { RtcError, type AudioOnlyReason, type CallMedia, type IceOptions, type Signal } from '../rtc/connection-types';
import { audioOnlyReason } from '../rtc/local-media';
import { browserVideo, videoSender$, type VideoSenderDeps, type VideoSenderEvent } from '../rtc/video-sender';
import type { VertoClient } from '../verto/client-types';
import type { PeerView } from '../view/ui-types';
import { signalMessage } from './peer-message';
import type { Call, LocalChoice, PeerEvent } from './peer-state';

export interface CallConnectionDeps extends IceOptions {
  readonly client: Pick<VertoClient, 'send'>;
  readonly view: Pick<PeerView, 'setVideo'> & Partial<Pick<PeerView, 'setSelfView' | 'setSpeaker'>>;
  readonly callMedia: CallMedia;
  /** A fresh camera and the screen picker for our video sender (default: the browser's, see `browserVideo`). */
  readonly video?: Pick<VideoSenderDeps, 'camera' | 'display'>;
  /** A stream around one track, for the self-view (default: `new MediaStream`). */
  readonly streamOf?: (track: MediaStreamTrack) => MediaStream;
  /** navigator.mediaDevices, for choosing the microphone and speaker mid-call; absent: no choice. */
  readonly mediaDevices?: AudioDevices;
}

/** What a call's media needs to know about the call; `polite`: we placed it. */
export type CallKey = Pick<Call, 'callId' | 'peerId'> & { readonly polite: boolean; readonly mic?: string; readonly camera?: string };

const toFailure = (callId: string, error: unknown): PeerEvent => ({
  kind: 'rtc-error',
  callId,
  reason: error instanceof RtcError ? error.reason : 'negotiation',
});

/**
 * The media of one call, alive exactly as long as the subscription: it shows the streams, sends our
 * signals to the peer and reports media, state and the failure reason back as events (`signallingUp$`:
 * see `CallMedia`). Unsubscribing ends the media (tracks stopped, RTCPeerConnection closed) and shows
 * the poster.
 */
export function callConnection$(
  call: CallKey,
  remoteSignals$: Observable<Signal>,
  signallingUp$: Observable<boolean>,
  deps: CallConnectionDeps,
  /** The person's choice, current value first: a muted microphone's track is disabled (sends silence), the video sender follows camera and screen; `agreed`: see below. */
  flags$: Observable<LocalChoice> = NEVER,
  /** The person's microphone and speaker choice, current value first (src/rtc/call-audio.ts follows it). */
  audio$: Observable<AudioChoice> = NEVER,
): Observable<PeerEvent> {
  const { callId, peerId, polite, mic, camera: cameraId } = call;
  const devices = deps.mediaDevices;
  const send = (signal: Signal): void => deps.client.send(peerId, signalMessage(callId, signal));
  return defer(() => {
    let audioOnly: AudioOnlyReason | undefined; // this subscription's local media
    let remoteShown = false; // till then the video element previews what we send
    /** What our video sender carries, seen by us: the self-view, and the preview before the other side shows. */
    const showOwn = (stream: MediaStream | null): void => {
      deps.view.setSelfView?.(stream);
      if (!remoteShown) deps.view.setVideo(stream === null ? null : { stream, fit: 'cover', muted: true });
    };
    const streamOf = deps.streamOf ?? ((track: MediaStreamTrack) => new MediaStream([track]));
    const fromSender = (v: VideoSenderEvent): Observable<PeerEvent> => {
      if (v.kind === 'camera-failed') return of({ kind: 'camera-failed', callId, reason: v.reason });
      if (v.kind === 'sharing') return of({ kind: 'sharing', callId, on: v.on });
      if (v.kind === 'camera-lost') return of({ kind: 'call-audio', callId, event: { kind: 'device-trouble', role: 'camera', lost: true } });
      showOwn(v.track === null ? null : streamOf(v.track));
      return EMPTY;
    };
    return deps.callMedia({ polite, iceServers: deps.iceServers, iceTransportPolicy: deps.iceTransportPolicy, mic, camera: cameraId }, remoteSignals$, signallingUp$).pipe(
      mergeMap((e): Observable<PeerEvent> => {
        switch (e.kind) {
          case 'local': {
            showOwn(e.stream);
            // No camera (none found, busy or blocked): local media fell back to the microphone alone.
            const [camera] = e.stream.getVideoTracks();
            audioOnly = audioOnlyReason(e.stream) ?? (camera === undefined ? 'no-camera' : undefined);
            const video = { ...(deps.video ?? browserVideo()), replace: (track: MediaStreamTrack | null) => e.replaceTrack('video', track) };
            return merge(
              of<PeerEvent>({ kind: 'media-ready', callId, audioOnly }),
              flags$.pipe(
                distinctUntilChanged((x, y) => x.mic === y.mic),
                tap((f) => {
                  for (const t of e.stream.getAudioTracks()) t.enabled = f.mic;
                }),
                ignoreElements(),
              ),
              // An audio-only call has no video sender: nothing to turn on or share.
              // The camera chosen in the Devices dialog is opened by the video sender, its one owner.
              camera === undefined
                ? EMPTY
                : videoSender$(combineLatest([flags$, audio$.pipe(startWith({ camera: cameraId }))]).pipe(map(([f, a]) => ({ ...f, device: a.camera }))), camera, video).pipe(mergeMap(fromSender)),
              devices === undefined
                ? EMPTY
                : callAudio$(e.stream, e.replaceTrack, audio$, browserAudio(devices, deps.view.setSpeaker ?? null)).pipe(map((event): PeerEvent => ({ kind: 'call-audio', callId, event }))),
            );
          }
          case 'remote':
            remoteShown = true;
            deps.view.setVideo({ stream: e.stream, fit: 'contain', muted: false });
            return EMPTY;
          case 'signal':
            // With the camera blocked, nothing reaches the other side (not even our silence) until the person chose to go on.
            if (audioOnly === 'camera-blocked') return flags$.pipe(filter((f) => f.agreed), take(1), tap(() => send(e.signal)), ignoreElements());
            send(e.signal);
            return EMPTY;
          case 'state':
            return of({ kind: 'rtc-state', callId, state: e.state });
          case 'quality':
            return of({ kind: 'rtc-quality', callId, poor: e.poor });
          case 'verification':
            return of({ kind: 'rtc-verification', callId, words: e.words });
        }
      }),
    );
  }).pipe(
    catchError((error: unknown) => of(toFailure(callId, error))),
    finalize(() => {
      deps.view.setVideo(null);
      deps.view.setSelfView?.(null);
    }),
  );
}
