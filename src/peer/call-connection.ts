import { EMPTY, NEVER, catchError, defer, distinctUntilChanged, finalize, first, ignoreElements, merge, mergeMap, of, tap, type Observable } from 'rxjs';
import { RtcError, type AudioOnlyReason, type CallMedia, type IceOptions, type Signal } from '../rtc/connection-types';
import { audioOnlyReason } from '../rtc/local-media';
import type { VertoClient } from '../verto/client-types';
import type { PeerView } from '../view/ui-types';
import { signalMessage } from './peer-message';
import type { Call, LocalChoice, PeerEvent } from './peer-state';

export interface CallConnectionDeps extends IceOptions {
  readonly client: Pick<VertoClient, 'send'>;
  readonly view: Pick<PeerView, 'setVideo'> & Partial<Pick<PeerView, 'setSelfView'>>;
  readonly callMedia: CallMedia;
}

/** What a call's media needs to know about the call; `polite`: we placed it. */
export type CallKey = Pick<Call, 'callId' | 'peerId'> & { readonly polite: boolean };

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
  /** The person's choice, current value first: applied to our tracks (a disabled track sends silence / black). */
  flags$: Observable<LocalChoice> = NEVER,
): Observable<PeerEvent> {
  const { callId, peerId, polite } = call;
  const send = (signal: Signal): void => deps.client.send(peerId, signalMessage(callId, signal));
  return defer(() => {
    let audioOnly: AudioOnlyReason | undefined; // this subscription's local media
    return deps.callMedia({ polite, iceServers: deps.iceServers, iceTransportPolicy: deps.iceTransportPolicy }, remoteSignals$, signallingUp$).pipe(
      mergeMap((e): Observable<PeerEvent> => {
        switch (e.kind) {
          case 'local':
            deps.view.setVideo({ stream: e.stream, fit: 'cover', muted: true });
            deps.view.setSelfView?.(e.stream);
            // No camera (none found, busy or blocked): local media fell back to the microphone alone.
            audioOnly = audioOnlyReason(e.stream) ?? (e.stream.getVideoTracks().length === 0 ? 'no-camera' : undefined);
            return merge(
              of<PeerEvent>({ kind: 'media-ready', callId, audioOnly }),
              flags$.pipe(
                distinctUntilChanged((a, b) => a.mic === b.mic && a.camera === b.camera),
                tap((f) => {
                  for (const t of e.stream.getAudioTracks()) t.enabled = f.mic;
                  for (const t of e.stream.getVideoTracks()) t.enabled = f.camera;
                }),
                ignoreElements(),
              ),
            );
          case 'remote':
            deps.view.setVideo({ stream: e.stream, fit: 'contain', muted: false });
            return EMPTY;
          case 'signal':
            // With the camera blocked, nothing reaches the other side (not even our silence) until the person chose to go on.
            if (audioOnly === 'camera-blocked') return flags$.pipe(first((f) => f.agreed), tap(() => send(e.signal)), ignoreElements());
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
