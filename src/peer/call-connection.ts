import { catchError, defer, filter, finalize, ignoreElements, map, merge, of, take, tap, type Observable } from 'rxjs';
import { RtcError, type Connection, type ConnectionFactory } from '../rtc/connection-types';
import type { VertoClient } from '../verto/client-types';
import type { PeerView } from '../view/ui-types';
import { signalMessage } from './peer-message';
import type { Call, Effect, PeerEvent } from './peer-state';

export interface CallConnectionDeps {
  readonly client: Pick<VertoClient, 'send'>;
  readonly view: Pick<PeerView, 'setVideo'>;
  readonly createConnection: ConnectionFactory;
  readonly iceServers: readonly RTCIceServer[];
  readonly log: (message: string, detail?: unknown) => void;
}

const toFailure = (callId: string, error: unknown): PeerEvent => ({
  kind: 'rtc-error',
  callId,
  reason: error instanceof RtcError ? error.reason : 'negotiation',
});

/**
 * One Connection for one call, alive exactly as long as the subscription: it gets local media, follows
 * the reducer's `rtc-open`/`rtc-signal` effects for this callId, sends its signals to the peer, shows the
 * streams, and reports media/state/errors back as events. Unsubscribing closes it and shows the poster.
 */
export function callConnection$(call: Pick<Call, 'callId' | 'peerId'>, effects$: Observable<Effect>, deps: CallConnectionDeps): Observable<PeerEvent> {
  return defer(() => {
    const { callId, peerId } = call;
    const conn: Connection = deps.createConnection({ iceServers: deps.iceServers });
    const media$ = conn.initMedia().pipe(
      take(1),
      tap((stream) => deps.view.setVideo({ stream, fit: 'cover', muted: true })),
      // No camera (none found, or it could not be opened): local-media fell back to the microphone alone.
      map((stream): PeerEvent => ({ kind: 'media-ready', callId, audioOnly: stream.getVideoTracks().length === 0 })),
      catchError((error: unknown) => of(toFailure(callId, error))),
    );
    // The reducer decides when to open and which remote signals go in; a signal is applied in order by the Connection.
    const commands$ = effects$.pipe(
      filter((e) => (e.kind === 'rtc-open' || e.kind === 'rtc-signal') && e.callId === callId),
      tap((e) => {
        if (e.kind === 'rtc-open') conn.open(e.polite);
        else if (e.kind === 'rtc-signal') conn.receive(e.signal);
      }),
      ignoreElements(),
    );
    const outgoing$ = conn.signals$.pipe(
      tap((signal) => deps.client.send(peerId, signalMessage(callId, signal))),
      ignoreElements(),
      catchError((error: unknown) => of(toFailure(callId, error))),
    );
    const remote$ = conn.remoteStream$.pipe(
      tap((stream) => deps.view.setVideo({ stream, fit: 'contain', muted: false })),
      ignoreElements(),
      catchError((error: unknown) => {
        deps.log('remote stream failed', error);
        return of(toFailure(callId, error));
      }),
    );
    const state$ = conn.state$.pipe(
      map((state): PeerEvent => ({ kind: 'rtc-state', callId, state })),
      catchError((error: unknown) => of(toFailure(callId, error))),
    );
    return merge(commands$, media$, outgoing$, remote$, state$).pipe(
      finalize(() => {
        conn.close();
        deps.view.setVideo(null);
      }),
    );
  });
}
