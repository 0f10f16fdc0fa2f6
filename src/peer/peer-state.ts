import type { ClientStatus, JsonObject, PeerStatus, Presence } from '../verto/client-types';
import type { AudioOnlyReason, ConnectionState, RtcFailure } from '../rtc/connection-types';
import type { PoorReason } from '../rtc/call-stats';
import { DEFAULT_AUDIO, type AudioChoice } from '../rtc/audio-devices';
import type { CallAudioEvent } from '../rtc/call-audio';
import type { Intent } from '../view/ui-types';
import type { PeerMessage } from './peer-message';

/** Timings in ms (docs/protocol.md#timers). */
export const PEER_EXPIRY_MS = 60_000;
/** An incoming offer nobody answers is declined after this. */
export const RING_TIMEOUT_MS = 30_000;
/** The caller gives up on an unanswered offer after this (the callee auto-declines at 30 s; this covers a lost offer). */
export const OFFER_TIMEOUT_MS = 60_000;
/** From accept to `connected`; a call that never connects closes with `failed` (docs/protocol.md#robustness). */
export const CONNECT_TIMEOUT_MS = 30_000;
export const NOTICE_MS = 10_000;
/** How many ended callIds are remembered, so a late re-sent offer of an ended call does not ring again. */
export const ENDED_MEMORY = 20;

export interface KnownPeer {
  readonly id: string;
  readonly name: string;
  readonly available: boolean;
  readonly seenAt: number;
}

/**
 * offering: we want a call (media, then `offer`); ringing: their offer waits for the person;
 * accepting: the person accepted, media pending; connecting: both sides want the call; connected: media flows.
 * The call's media exists from offering/accepting on (see `peer.ts`); the phases only decide what is said.
 */
export type CallPhase = 'offering' | 'ringing' | 'accepting' | 'connecting' | 'connected';

export interface Call {
  readonly phase: CallPhase;
  readonly callId: string;
  readonly peerId: string;
  readonly peerName: string;
  /** When the current phase started; connected: when media first flowed (an interruption keeps it: the call's duration counts from it). */
  readonly since: number;
  /** offering: local media is ready and `offer` went out. */
  readonly offerSent: boolean;
  /** Our media has no camera, and why: the call goes on audio-only. */
  readonly audioOnly?: AudioOnlyReason;
  /** offering/accepting: the camera is blocked, the person is asked whether to go on audio-only; the offer or accept waits. */
  readonly askAudioOnly?: boolean;
  /** connected: media is interrupted (ICE disconnected, or restarting) and the call waits for it. */
  readonly interrupted?: boolean;
  /** Our microphone and camera as the person set them (absent: both on); `seq` of the last `media` we sent. */
  readonly local?: MediaFlags & { readonly seq: number };
  /** The other side's, from its latest `media` message (absent: both on). */
  readonly remote?: MediaFlags & { readonly seq: number };
  /** connected: getStats says the connection is poor, and why (src/rtc/call-stats.ts). */
  readonly poor?: PoorReason | null;
  /** The connection's security words (src/rtc/sas.ts); null: this browser cannot tell; absent: not read yet. */
  readonly sas?: readonly string[] | null;
  /** The person said both sides see these words (new words clear it). */
  readonly verified?: boolean;
  /** The Verify dialog is open. */
  readonly verifying?: boolean;
  /** Our screen is on the video sender (src/rtc/video-sender.ts); only then is `local.screen` told. */
  readonly sharing?: boolean;
  /** Why our camera could not be turned back on; cleared by the next camera toggle. */
  readonly cameraFailed?: RtcFailure;
  /** The microphones and speakers listed, and those in use (from src/rtc/call-audio.ts), for the Devices dialog. */
  readonly devices?: Omit<Extract<CallAudioEvent, { kind: 'devices' }>, 'kind'>;
}

/** `screen`: sharing our screen is wanted (ours) or under way (theirs); absent in `media`: false. */
export interface MediaFlags {
  readonly mic: boolean;
  readonly camera: boolean;
  readonly screen: boolean;
}
export const MEDIA_ON: MediaFlags = { mic: true, camera: true, screen: false };
/** Our microphone and camera in this call as the person set them, with the `seq` last told (0: nothing told yet). */
export const localMedia = (call: Call): MediaFlags & { readonly seq: number } => call.local ?? { ...MEDIA_ON, seq: 0 };

/** What a call's media applies and waits for: the person's microphone and camera, and `agreed`: our offer or accept went out. */
export type LocalChoice = MediaFlags & { readonly agreed: boolean };
export function localChoice(call: Call): LocalChoice {
  const { mic, camera, screen } = localMedia(call);
  return { mic, camera, screen, agreed: call.phase === 'offering' ? call.offerSent : call.phase === 'connecting' || call.phase === 'connected' };
}

export interface PeerState {
  readonly selfId: string;
  readonly name: string;
  readonly client: ClientStatus;
  /** When `client` last changed (to show "reconnecting in N s"). */
  readonly clientAt: number;
  readonly peers: Readonly<Record<string, KnownPeer>>;
  readonly call: Call | null;
  /** `callId`: said during that call (a device trouble), not only after it. */
  readonly notice: { readonly text: string; readonly until: number; readonly callId?: string } | null;
  readonly editingName: boolean;
  /** The person hid their own picture (`#self-view`): for this page, across calls. */
  readonly selfViewHidden: boolean;
  /** The microphone and speaker the person chose (remembered for the next call), and whether the Devices dialog is open. */
  readonly audio: AudioChoice;
  readonly choosingDevices: boolean;
  readonly endedCalls: readonly string[];
}

/** Side effects a transition asks for; executed at the edge, in order. */
export type Effect =
  | { readonly kind: 'send'; readonly to: string; readonly message: JsonObject }
  | { readonly kind: 'publish'; readonly presence: Presence }
  | { readonly kind: 'save-name'; readonly name: string }
  | { readonly kind: 'save-audio'; readonly audio: AudioChoice }
  | { readonly kind: 'disconnect' };

/** Everything the reducer reacts to. */
export type PeerEvent =
  | { readonly kind: 'presence'; readonly from: string; readonly status: PeerStatus; readonly name?: string }
  | { readonly kind: 'message'; readonly from: string; readonly message: PeerMessage }
  | { readonly kind: 'intent'; readonly intent: Intent }
  /** A `call` intent with the fresh callId the edge created (ids are injected, the reducer stays pure). */
  | { readonly kind: 'place-call'; readonly peerId: string; readonly callId: string }
  | { readonly kind: 'client'; readonly status: ClientStatus }
  | { readonly kind: 'media-ready'; readonly callId: string; readonly audioOnly?: AudioOnlyReason }
  | { readonly kind: 'rtc-state'; readonly callId: string; readonly state: ConnectionState }
  | { readonly kind: 'rtc-error'; readonly callId: string; readonly reason: RtcFailure }
  | { readonly kind: 'rtc-quality'; readonly callId: string; readonly poor: PoorReason | null }
  | { readonly kind: 'rtc-verification'; readonly callId: string; readonly words: readonly string[] | null }
  /** From the call's video sender: our screen went on it, or sharing ended other than by our button (src/rtc/video-sender.ts). */
  | { readonly kind: 'sharing'; readonly callId: string; readonly on: boolean }
  | { readonly kind: 'camera-failed'; readonly callId: string; readonly reason: RtcFailure }
  | { readonly kind: 'call-audio'; readonly callId: string; readonly event: CallAudioEvent }
  /** Keepalive tick (40–50 s): refresh `available`, re-send an unanswered offer. */
  | { readonly kind: 'keepalive' }
  /** A deadline from `nextDeadline` passed. */
  | { readonly kind: 'clock' }
  /** The page is going away. */
  | { readonly kind: 'leave' };

export interface Step {
  readonly state: PeerState;
  readonly effects: readonly Effect[];
}

export const initialState = (selfId: string, name: string, audio: AudioChoice = DEFAULT_AUDIO): PeerState => ({
  selfId,
  name,
  client: { kind: 'connecting', attempt: 0 },
  clientAt: 0,
  peers: {},
  call: null,
  notice: null,
  editingName: false,
  selfViewHidden: false,
  audio,
  choosingDevices: false,
  endedCalls: [],
});

/** The client stopped for good (refused, signed in elsewhere, closed): this page can no longer reach anyone. */
export const stopped = (s: PeerState): boolean => s.client.kind === 'login-failed' || s.client.kind === 'punted' || s.client.kind === 'closed';
