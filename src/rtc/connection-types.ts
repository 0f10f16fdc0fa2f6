import type { Observable } from 'rxjs';

/** A negotiation signal, in both directions (wrapped by the Peer as `peerAction` description / candidate). */
export type Signal =
  | { readonly kind: 'description'; readonly description: RTCSessionDescriptionInit }
  | { readonly kind: 'candidate'; readonly candidate: RTCIceCandidateInit | null };

export type ConnectionState = 'new' | 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'closed';

/** Why local media or the connection failed; the Peer turns each into a status text. */
export type RtcFailure = 'media-denied' | 'no-device' | 'negotiation' | 'ice-failed';

export class RtcError extends Error {
  constructor(
    readonly reason: RtcFailure,
    options?: { cause?: unknown },
  ) {
    super(reason, options);
    this.name = 'RtcError';
  }
}

export interface ConnectionOptions {
  /** ICE servers from the page config; an empty list is valid on a LAN. */
  readonly iceServers: readonly RTCIceServer[];
}

/**
 * One peer-to-peer media session. Local media may be acquired before the RTCPeerConnection exists;
 * `open(polite)` creates it. `close()` (idempotent) stops every track, closes the RTCPeerConnection
 * and completes every stream.
 */
export interface Connection {
  /** Emits the local stream once it is acquired; errors with RtcError when media is denied or absent. */
  readonly localStream$: Observable<MediaStream>;
  /** Emits the remote stream once its first track arrives. */
  readonly remoteStream$: Observable<MediaStream>;
  /**
   * Replays the latest state. On a fatal failure it emits `'failed'`, then errors with RtcError
   * (`negotiation`, or `ice-failed` when an ICE restart did not reconnect within ~10 s) and the
   * Connection releases itself. `close()` emits `'closed'`, then completes.
   */
  readonly state$: Observable<ConnectionState>;
  /** Outgoing signals for the Peer to send to the other side. Not replayed: subscribe before `open()`. */
  readonly signals$: Observable<Signal>;
  /** Acquires local media (video + audio, audio only without a camera). Emits once, then completes. */
  initMedia(): Observable<MediaStream>;
  /** Creates the RTCPeerConnection, adds local tracks, starts perfect negotiation. */
  open(polite: boolean): void;
  /** Takes one incoming signal; signals are applied strictly in order. */
  receive(signal: Signal): void;
  close(): void;
}

/** Creates a Connection; the Peer gets this injected so tests can pass a fake. */
export type ConnectionFactory = (options: ConnectionOptions) => Connection;
