import type { Observable } from 'rxjs';
import type { AudioRole, DeviceOption } from '../rtc/audio-devices';

/** Plain data exchanged between the Peer and the View: what to draw, and what the person asked for. */

/** One entry of `#nav-menu`. */
export type MenuItem =
  | { readonly kind: 'call'; readonly peerId: string; readonly name: string }
  | { readonly kind: 'busy'; readonly name: string }
  /** Shown while we are offline: nobody can be called until the connection is back. */
  | { readonly kind: 'unreachable'; readonly name: string }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'hangup' }
  | { readonly kind: 'name'; readonly name: string };

/** What the modal shows; `null` hides it. */
export type Dialog =
  | { readonly kind: 'incoming'; readonly name: string }
  | { readonly kind: 'name-form'; readonly name: string }
  /** The security words to compare with `name` (src/rtc/sas.ts), or why there are none. */
  | { readonly kind: 'verify'; readonly name: string; readonly words: readonly string[] | 'unavailable' | 'reading' }
  /** Our camera is blocked for this site: go on audio-only, or cancel the call. */
  | { readonly kind: 'camera-blocked' }

  /** Microphone, speaker and camera selects (`speakers: null`: this browser cannot choose one; no cameras: none to choose); ids '' or not listed: the first is shown. */
  | { readonly kind: 'devices'; readonly mics: readonly DeviceOption[]; readonly speakers: readonly DeviceOption[] | null; readonly cameras: readonly DeviceOption[]; readonly mic: string; readonly speaker: string; readonly camera: string };

/** What the person asked for (reads from the DOM). */
export type Intent =
  | { readonly kind: 'call'; readonly peerId: string }
  | { readonly kind: 'accept' }
  | { readonly kind: 'decline' }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'hangup' }
  | { readonly kind: 'edit-name' }
  | { readonly kind: 'rename'; readonly name: string }
  | { readonly kind: 'close-dialog' }
  | { readonly kind: 'toggle-mic' }
  | { readonly kind: 'toggle-camera' }
  | { readonly kind: 'toggle-self-view' }
  /** The Verify dialog: open it; the person says the words match, or do not. */
  | { readonly kind: 'verify' }
  | { readonly kind: 'verify-match' }
  | { readonly kind: 'verify-mismatch' }
  | { readonly kind: 'toggle-screen' }
  /** Go on with the microphone alone (the camera-blocked dialog). */
  | { readonly kind: 'audio-only' }
  | { readonly kind: 'open-devices' }
  | { readonly kind: 'choose-device'; readonly role: AudioRole; readonly deviceId: string };

/** One button of `#call-controls` (a list, so more controls can join). */
export type Control =
  | { readonly kind: 'toggle-mic'; readonly on: boolean }
  | { readonly kind: 'toggle-camera'; readonly on: boolean; readonly disabled: boolean }
  | { readonly kind: 'verify'; readonly verified: boolean }
  /** `on`: our screen is shared (or the picker is open); shown only where the browser can share one. */
  | { readonly kind: 'toggle-screen'; readonly on: boolean; readonly disabled: boolean }
  | { readonly kind: 'hangup' }
  | { readonly kind: 'devices' };

/** `#media-player`: a stream fitted to cover (idle preview) or contain on black (in a call); `null` shows the poster. */
export type VideoSource = { readonly stream: MediaStream; readonly fit: 'cover' | 'contain'; readonly muted: boolean } | null;

/** The write side of the View the Peer drives; each method takes plain data. */
export interface PeerView {
  readonly intents$: Observable<Intent>;
  /** Mouse, touch or key activity anywhere on the page. */
  readonly activity$: Observable<unknown>;
  setStatus(text: string): void;
  setMenu(items: readonly MenuItem[]): void;
  showDialog(dialog: Dialog | null): void;
  setVideo(source: VideoSource): void;
  setNavHidden(hidden: boolean): void;
  /** The in-call buttons over the video; empty outside a call. */
  setControls(controls: readonly Control[]): void;
  /** The other side's camera is off: their name over the video instead of a frozen frame; `null` shows the video. */
  setRemoteCameraOff(name: string | null): void;
  /** `#self-view`: our own picture small in a corner (mirrored, muted) for the whole call; `null` hides it. */
  setSelfView(stream: MediaStream | null): void;
  /** The person hid `#self-view` (its button then offers to show it again); kept across calls. */
  setSelfViewHidden(hidden: boolean): void;
  /** How long the call has lasted, e.g. "3:07", next to the status (not in its live region); `null` outside a connected call. */
  setCallDuration(text: string | null): void;
  /** setSinkId on `#media-player`; `null` where this browser cannot choose the speaker. */
  readonly setSpeaker?: ((deviceId: string) => Promise<void>) | null;
}

/** A call as ringing and attention see it (src/view/ringer.ts, attention.ts); `null`: no call. */
export type CallAlert = { readonly phase: 'offering' | 'ringing' | 'accepting' | 'connecting' | 'connected'; readonly callId: string; readonly peerName: string } | null;
