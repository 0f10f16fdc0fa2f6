import type { Observable } from 'rxjs';
import type { PoorReason } from './call-stats';

/** A negotiation signal, in both directions (wrapped by the Peer as `peerAction` description / candidate). */
export type Signal =
  | { readonly kind: 'description'; readonly description: RTCSessionDescriptionInit }
  | { readonly kind: 'candidate'; readonly candidate: RTCIceCandidateInit | null };

/**
 * Where the call's connection stands; a failure is not a state but the stream's RtcError.
 * `reconnecting`: media is interrupted (ICE disconnected, or restarting), the call is kept meanwhile.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting';

/**
 * Why local media or the connection failed; the Peer turns each into a status text. `device-busy`: the
 * microphone (or a camera without one) is held by another application. `ice-failed`: no
 * path was found while the call was being set up; `connection-lost`: a call that had connected stayed
 * cut off for the whole outage limit (`RecoveryTiming.outageMs`).
 */
export type RtcFailure = 'media-denied' | 'no-device' | 'device-busy' | 'negotiation' | 'ice-failed' | 'connection-lost';

/**
 * Why our media has no camera, so the call goes on with the microphone alone: none found, another
 * application holds it (`camera-busy`), or it is blocked for this site while the microphone is not.
 */
export type AudioOnlyReason = 'no-camera' | 'camera-busy' | 'camera-blocked';

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
  /** The microphone to open (a deviceId; absent or '': the default); the default when it is not there. */
  readonly mic?: string;
  /** The camera to open, likewise. */
  readonly camera?: string;
}

/** What a call's media tells the Peer, as values. */
export type CallMediaEvent =
  /**
   * Our camera and microphone (microphone only without a usable camera), once. `replaceTrack` swaps
   * the track a sender of ours carries, with no renegotiation, once our tracks are on the connection.
   */
  | { readonly kind: 'local'; readonly stream: MediaStream; readonly replaceTrack: (kind: 'audio' | 'video', track: MediaStreamTrack | null) => Observable<void> }
  /** The other side's stream, once its first track arrived (again if it changes). */
  | { readonly kind: 'remote'; readonly stream: MediaStream }
  /** A signal for the Peer to send to the other side. */
  | { readonly kind: 'signal'; readonly signal: Signal }
  | { readonly kind: 'state'; readonly state: ConnectionState }
  /** While connected: why the connection is poor (from getStats), or null once it is good again. */
  | { readonly kind: 'quality'; readonly poor: PoorReason | null }
  /** Once connected: the connection's security words (src/rtc/call-verification.ts), again if they change; null: this browser cannot tell. */
  | { readonly kind: 'verification'; readonly words: readonly string[] | null };

/**
 * The media of one call, alive exactly as long as its subscription: subscribing acquires local media and
 * creates the RTCPeerConnection; `remoteSignals$` (the other side's signals of this call, in arrival
 * order) is subscribed at once; unsubscribing stops every track and closes the RTCPeerConnection.
 * `signallingUp$` tells whether signals can reach the other side: `false` while our client is offline,
 * `true` when it is online (again), and `true` once more when the other side is back (it re-subscribed);
 * an ICE restart waits for it, and each `true` during an outage restarts at once.
 * It errors with RtcError (`media-denied`, `no-device`, `device-busy`, `negotiation`, `ice-failed`, `connection-lost`)
 * and then has released everything too; it never completes by itself.
 */
export type CallMedia = (options: CallMediaOptions, remoteSignals$: Observable<Signal>, signallingUp$: Observable<boolean>) => Observable<CallMediaEvent>;
