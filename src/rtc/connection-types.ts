import type { Observable } from 'rxjs';

/** A negotiation signal, in both directions (wrapped by the Peer as `peerAction` description / candidate). */
export type Signal =
  | { readonly kind: 'description'; readonly description: RTCSessionDescriptionInit }
  | { readonly kind: 'candidate'; readonly candidate: RTCIceCandidateInit | null };

/** Where the call's connection stands; a failure is not a state but the stream's RtcError. */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

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

/** The RTCConfiguration fields the page config gives (src/config.ts validates them); the rest keep the browser's defaults. */
export interface IceOptions {
  /** ICE servers from the page config; an empty list is valid on a LAN. */
  readonly iceServers: readonly RTCIceServer[];
  /** `relay`: TURN candidates only; absent: `all`. */
  readonly iceTransportPolicy?: RTCIceTransportPolicy;
}

export interface CallMediaOptions extends IceOptions {
  /** Perfect negotiation role: the side that placed the call is polite and answers the other's first offer. */
  readonly polite: boolean;
}

/** What a call's media tells the Peer, as values. */
export type CallMediaEvent =
  /** Our camera and microphone (microphone only without a usable camera), once. */
  | { readonly kind: 'local'; readonly stream: MediaStream }
  /** The other side's stream, once its first track arrived (again if it changes). */
  | { readonly kind: 'remote'; readonly stream: MediaStream }
  /** A signal for the Peer to send to the other side. */
  | { readonly kind: 'signal'; readonly signal: Signal }
  | { readonly kind: 'state'; readonly state: ConnectionState };

/**
 * The media of one call, alive exactly as long as its subscription: subscribing acquires local media and
 * creates the RTCPeerConnection; `remoteSignals$` (the other side's signals of this call, in arrival
 * order) is subscribed at once; unsubscribing stops every track and closes the RTCPeerConnection.
 * It errors with RtcError (`media-denied`, `no-device`, `negotiation`, `ice-failed`) and then has
 * released everything too; it never completes by itself.
 */
export type CallMedia = (options: CallMediaOptions, remoteSignals$: Observable<Signal>) => Observable<CallMediaEvent>;
