import type { Observable } from 'rxjs';
import type { JsonObject } from '../json';
import type { PeerStatus } from './peer-status';
import type { PageInstance } from './page-instance';

export type { JsonObject, JsonValue } from '../json';
export type { PeerStatus } from './peer-status';

/** What a client publishes about itself: `{"peerStatus": …, "peerName": …}` on the wire. */
export interface Presence {
  readonly status: PeerStatus;
  readonly name?: string;
}

/** A presence event from another client of the channel; `from` is the bare client id set by the server. */
export interface PresenceEvent extends Presence {
  readonly from: string;
  /** The sending page (src/verto/page-instance.ts); absent from clients that do not send it. */
  readonly page?: PageInstance;
}

/** A decoded `verto.info` `msg` from another client: `from` is the bare client id (domain stripped). */
export interface PeerEnvelope {
  readonly from: string;
  readonly message: JsonObject;
}

/**
 * The connection state the View shows. Terminal states (`login-failed`, `punted`, `closed`) stop all retries.
 * `reconnecting.retryAt` is an epoch time in ms (from the client's clock) of the next attempt.
 */
export type ClientStatus =
  | { readonly kind: 'connecting'; readonly attempt: number }
  | { readonly kind: 'logging-in' }
  | { readonly kind: 'online' }
  | { readonly kind: 'reconnecting'; readonly attempt: number; readonly retryAt: number; readonly reason: string }
  | { readonly kind: 'login-failed'; readonly message: string }
  /** Another page took this login: the server punted this socket, or a newer page announced itself. */
  | { readonly kind: 'punted' }
  | { readonly kind: 'closed' };

/** The channel's signalling client. One instance per page; `connect()` starts it, `disconnect()` ends it for good. */
export interface VertoClient {
  /** Current status, replayed to late subscribers. */
  readonly status$: Observable<ClientStatus>;
  /** Presence of the other clients in the channel; this client's own events are filtered out. */
  readonly presence$: Observable<PresenceEvent>;
  /** Peer-to-peer messages addressed to this client. */
  readonly peerMessages$: Observable<PeerEnvelope>;
  /** Emits after every successful `verto.subscribe` (so once per (re)connection) — presence `ready` has been sent. */
  readonly subscribed$: Observable<void>;
  /** Starts connecting (idempotent). */
  connect(): void;
  /** Publishes this client's presence to the channel (queued until online; the latest value wins). */
  publishPresence(presence: Presence): void;
  /**
   * Sends a peer message to another client of the channel. Queued while offline and kept until the
   * server acknowledges it (re-sent on the next connection otherwise); the receiving client drops
   * repeats. "Sent" never means delivered.
   */
  send(to: string, message: JsonObject): void;
  /** Whether a call is in progress: the client then notices a dead socket within seconds. */
  setInCall(inCall: boolean): void;
  /** Publishes `gone` when it can, closes the socket and completes the streams. */
  disconnect(): void;
}

/** What `createVertoClient` (src/verto/client.ts) needs; the page config provides all of it. */
export interface VertoClientOptions {
  /** Absolute ws:// or wss:// URL of the verto endpoint. */
  readonly url: string;
  readonly channelId: string;
  /**
   * The login exactly as configured: `id@domain` logs in on any verto profile; a bare id needs the
   * profile's `force-register-domain` (deploy/README.md). Presence and peer addressing use the id part.
   */
  readonly login: string;
  readonly password: string;
}
