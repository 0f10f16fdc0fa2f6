import type { ClientStatus } from '../verto/client-types';
import type { CallAlert, Control, Dialog, MenuItem } from '../view/ui-types';
import { localMedia, stopped, type Call, type PeerState } from './peer-state';

/** What the connection to the server looks like, in words; `since`: when `status` began (a short wait gets no countdown). */
export function clientText(status: ClientStatus, at: number, since: number = at): string {
  switch (status.kind) {
    case 'connecting':
      // A retry right after a lost connection skips `reconnecting`: say what happened, not just "Connecting…".
      return status.attempt > 1 ? 'Connection lost — reconnecting…' : 'Connecting…';
    case 'logging-in':
      return 'Connecting…';
    case 'online':
      return 'Online';
    case 'reconnecting': {
      const seconds = Math.max(0, Math.ceil((status.retryAt - at) / 1000));
      // Retries under a second apart (the first minute of an outage) would flash "in 1 s…" between tries.
      return seconds > 0 && status.retryAt - since >= 1000 ? `Connection lost — reconnecting in ${seconds} s…` : 'Connection lost — reconnecting…';
    }
    // Terminal: nothing retries, so say what the person can do. A reload issues fresh credentials.
    case 'login-failed':
      return `Login failed: ${status.message}. Reload the page to try again.`;
    case 'punted':
      return 'Signed in elsewhere. Reload this page to use it here.';
    case 'closed':
      return 'Disconnected';
  }
}

const POOR_TEXT = { 'high-delay': 'high delay', 'packet-loss': 'packets lost', 'no-frames': 'no picture arriving' } as const;
/** The connection-quality warning, said only while quality is poor. */
const poorText = (poor: Call['poor']): string => (poor === undefined || poor === null ? '' : ` — poor connection (${POOR_TEXT[poor]})`);

const AUDIO_ONLY_TEXT = { 'no-camera': 'no camera found', 'camera-busy': 'your camera is in use by another application', 'camera-blocked': 'camera blocked' } as const;

/** The `#nav-status` text: the call if there is one, else a recent notice, else the connection. `at` counts down a reconnect. */
export function statusText(s: PeerState, at: number = s.clientAt): string {
  const call = s.call;
  const offline = s.client.kind !== 'online';
  if (call !== null) {
    const who = call.peerName;
    const text =
      call.phase === 'offering' ? `Calling ${who}…`
      : call.phase === 'ringing' ? `${who} is calling`
      : call.phase === 'connected' ? (call.interrupted ? `Reconnecting to ${who}…` : `In a call with ${who}${call.verified ? ' — verified' : ''}${poorText(call.poor)}`)
      : `Connecting to ${who}…`;
    // Said for the whole call: the person should know why the other side sees no picture.
    const audio = call.audioOnly && call.phase !== 'ringing' ? `${text} (audio only: ${AUDIO_ONLY_TEXT[call.audioOnly]})` : text;
    const told = s.notice?.callId === call.callId ? ` — ${s.notice.text}` : ''; // a device trouble
    const said = call.phase === 'connected' && !call.interrupted ? `${audio}${ownVideoText(call)}${remoteText(who, call.remote)}${told}` : `${audio}${told}`;
    return offline ? `${said} (${clientText(s.client, at, s.clientAt)})` : said;
  }
  // A notice says why a call just ended, even when that happened while the server was out of reach.
  if (offline) return s.notice && !stopped(s) ? `${s.notice.text} (${clientText(s.client, at, s.clientAt)})` : clientText(s.client, at, s.clientAt);
  return s.notice?.text ?? 'Online';
}

/** A duration as m:ss, or h:mm:ss from an hour on (negative: 0:00). */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const [h, m, sec] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const ss = String(sec).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** How long the connected call has lasted at `at`, counted from when it first connected (an interruption does not restart it); `null` before and after. */
export const callDuration = (s: PeerState, at: number): string | null => (s.call?.phase === 'connected' ? formatDuration(at - s.call.since) : null);

/** What our video is, when it is not the camera the person expects: the screen, or a camera that failed. */
function ownVideoText(call: Call): string {
  if (call.sharing) return ' — you are sharing your screen';
  if (call.cameraFailed === undefined) return '';
  const why =
    call.cameraFailed === 'media-denied' ? 'access to it was denied'
    : call.cameraFailed === 'device-busy' ? 'it is in use by another application'
    : 'it was not found';
  return ` — your camera could not be turned back on: ${why}`;
}

/** What the other side turned off or shares, in words (peer-supplied name: the View sets it as text). */
function remoteText(who: string, remote: Call['remote']): string {
  if (remote === undefined) return '';
  const video = remote.screen ? 'is sharing their screen' : remote.camera ? '' : 'turned their camera off';
  const said = [remote.mic ? '' : 'muted their microphone', video].filter((t) => t !== '');
  return said.length === 0 ? '' : ` — ${who} ${said.join(' and ')}`;
}

/** The in-call buttons: from the moment our media exists (offering, accepting) to the end of the call. */
export function controls(s: PeerState): Control[] {
  const call = s.call;
  if (call === null || call.phase === 'ringing') return [];
  const local = localMedia(call);
  return [
    { kind: 'toggle-mic', on: local.mic },
    { kind: 'toggle-camera', on: local.camera && !call.audioOnly, disabled: call.audioOnly !== undefined },
    { kind: 'toggle-screen', on: local.screen, disabled: call.audioOnly !== undefined },
    // Once the call's media has listed its devices (src/rtc/call-audio.ts).
    ...(call.devices ? [{ kind: 'devices' } as const] : []),
    ...(call.phase === 'connected' ? [{ kind: 'verify', verified: call.verified === true } as const] : []),
    { kind: 'hangup' },
  ];
}

/** The other side's camera is off (and no screen shared instead): the View shows their name instead of a frozen frame. */
export const remoteCameraOff = (s: PeerState): string | null =>
  s.call?.phase === 'connected' && s.call.remote?.camera === false && !s.call.remote.screen ? s.call.peerName : null;

/**
 * The menu: call controls while a call is under way, otherwise the peers (busy ones, and all of them
 * while we are not online, not callable) and the name; nothing once stopped.
 */
export function menuItems(s: PeerState): MenuItem[] {
  if (stopped(s)) return []; // offer nothing this page cannot do; the status says what to do instead
  const call = s.call;
  if (call?.phase === 'offering') return [{ kind: 'cancel' }];
  if (call !== null && call.phase !== 'ringing') return [{ kind: 'hangup' }];
  // Offline, an offer could not reach anyone, and who is still there is unknown until we are back.
  const offline = s.client.kind !== 'online';
  const peers = Object.values(s.peers)
    .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1))
    .map((p): MenuItem =>
      offline ? { kind: 'unreachable', name: p.name }
      : p.available ? { kind: 'call', peerId: p.id, name: p.name }
      : { kind: 'busy', name: p.name },
    );
  return [...peers, { kind: 'name', name: s.name }];
}

export function dialog(s: PeerState): Dialog | null {
  if (s.call?.phase === 'ringing') return { kind: 'incoming', name: s.call.peerName };
  if (s.call?.askAudioOnly) return { kind: 'camera-blocked' };
  if (s.editingName) return { kind: 'name-form', name: s.name };
  if (s.call?.verifying) return { kind: 'verify', name: s.call.peerName, words: s.call.sas === undefined ? 'reading' : (s.call.sas ?? 'unavailable') };
  // An audio-only call has no camera to choose.
  if (s.choosingDevices && s.call?.devices) return { kind: 'devices', ...s.call.devices, ...(s.call.audioOnly ? { cameras: [] } : {}), camera: s.audio.camera ?? '' };
  return null;
}

/** In a call (for the navbar auto-hide): from accepting on, media is about to flow both ways. */
export const inCall = (s: PeerState): boolean => s.call !== null && (s.call.phase === 'connecting' || s.call.phase === 'connected');

/** What the ringer and the hidden-tab attention need of the call (src/view/ringer.ts, attention.ts). */
export const callAlert = (s: PeerState): CallAlert => (s.call === null ? null : { phase: s.call.phase, callId: s.call.callId, peerName: s.call.peerName });
