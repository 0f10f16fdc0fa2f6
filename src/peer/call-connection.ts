import { EMPTY, NEVER, catchError, defer, finalize, ignoreElements, map, merge, mergeMap, of, tap, type Observable } from 'rxjs';
import type { AudioChoice } from '../rtc/audio-devices';
import { browserAudio, callAudio$, type AudioDevices } from '../rtc/call-audio';
import { RtcError, type CallMedia, type IceOptions, type Signal } from '../rtc/connection-types';
import type { VertoClient } from '../verto/client-types';
import type { PeerView } from '../view/ui-types';
import { signalMessage } from './peer-message';
import type { Call, MediaFlags, PeerEvent } from './peer-state';

export interface CallConnectionDeps extends IceOptions {
  readonly client: Pick<VertoClient, 'send'>;
  readonly view: Pick<PeerView, 'setVideo'> & Partial<Pick<PeerView, 'setSelfView' | 'setSpeaker'>>;
  readonly callMedia: CallMedia;
  /** navigator.mediaDevices, for choosing the microphone and speaker mid-call; absent: no choice. */
  readonly mediaDevices?: AudioDevices;
}

/** What a call's media needs to know about the call; `polite`: we placed it. */
export type CallKey = Pick<Call, 'callId' | 'peerId'> & { readonly polite: boolean; readonly mic?: string };

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
  /** The person's microphone and camera choice, current value first: applied to our tracks (a disabled track sends silence / black). */
  flags$: Observable<MediaFlags> = NEVER,
  /** The person's microphone and speaker choice, current value first (src/rtc/call-audio.ts follows it). */
  audio$: Observable<AudioChoice> = NEVER,
): Observable<PeerEvent> {
  const { callId, peerId, polite, mic } = call;
  const devices = deps.mediaDevices;
  return defer(() => deps.callMedia({ polite, iceServers: deps.iceServers, iceTransportPolicy: deps.iceTransportPolicy, mic }, remoteSignals$, signallingUp$)).pipe(
    mergeMap((e): Observable<PeerEvent> => {
      switch (e.kind) {
        case 'local':
          deps.view.setVideo({ stream: e.stream, fit: 'cover', muted: true });
          deps.view.setSelfView?.(e.stream);
          // No camera (none found, or it could not be opened): local media fell back to the microphone alone.
          return merge(
            of<PeerEvent>({ kind: 'media-ready', callId, audioOnly: e.stream.getVideoTracks().length === 0 }),
            flags$.pipe(
              tap((f) => {
                for (const t of e.stream.getAudioTracks()) t.enabled = f.mic;
                for (const t of e.stream.getVideoTracks()) t.enabled = f.camera;
              }),
              ignoreElements(),
            ),
            e.replaceTrack === undefined || devices === undefined
              ? EMPTY
              : callAudio$(e.stream, e.replaceTrack, audio$, browserAudio(devices, deps.view.setSpeaker ?? null)).pipe(map((event): PeerEvent => ({ kind: 'call-audio', callId, event }))),
          );
        case 'remote':
          deps.view.setVideo({ stream: e.stream, fit: 'contain', muted: false });
          return EMPTY;
        case 'signal':
          deps.client.send(peerId, signalMessage(callId, e.signal));
          return EMPTY;
        case 'state':
          return of({ kind: 'rtc-state', callId, state: e.state });
        case 'quality':
          return of({ kind: 'rtc-quality', callId, poor: e.poor });
      }
    }),
    catchError((error: unknown) => of(toFailure(callId, error))),
    finalize(() => {
      deps.view.setVideo(null);
      deps.view.setSelfView?.(null);
    }),
  );
}
