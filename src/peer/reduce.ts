import { sameJson } from '../json';
import type { PeerStatus } from '../verto/client-types';
import type { RtcFailure } from '../rtc/connection-types';
import type { AudioRole } from '../rtc/audio-devices';
import type { Intent } from '../view/ui-types';
import { peerLabel, sanitizeName } from './display-name';
import { defaultRecoveryTiming } from '../rtc/recovery';
import { acceptMessage, closeMessage, mediaMessage, offerMessage, presenceMessage, type CloseReason, type PeerMessage } from './peer-message';
import {
  CONNECT_TIMEOUT_MS,
  ENDED_MEMORY,
  NOTICE_MS,
  OFFER_TIMEOUT_MS,
  PEER_EXPIRY_MS,
  RING_TIMEOUT_MS,
  localMedia,
  stopped,
  type Call,
  type Effect,
  type KnownPeer,
  type PeerEvent,
  type PeerState,
  type Step,
} from './peer-state';

const assertNever = (x: never): never => {
  throw new Error(`unhandled event ${JSON.stringify(x)}`);
};

const same = (state: PeerState): Step => ({ state, effects: [] });

/**
 * Tells the other side our microphone and camera (docs/protocol.md#peer-messages). Only a connected
 * call tells: a toggle before that is applied to our media and told when the call connects (again
 * after an interruption or the peer's re-subscribe, as the message may have been lost).
 */
function tellMedia(s: PeerState, call: Call, force: boolean): Step {
  const local = localMedia(call);
  // A screen is told once it is on our sender: while the picker is open the camera is still sent.
  const screen = local.screen && call.sharing === true;
  // Without a camera the other side is told it is off, so it shows our name instead of a black picture.
  const camera = local.camera && !call.audioOnly;
  const changed = local.seq > 0 || !local.mic || !camera || screen;
  if (call.phase !== 'connected' || !(force || changed)) return same({ ...s, call });
  const seq = local.seq + 1;
  return {
    state: { ...s, call: { ...call, local: { ...local, seq } } },
    effects: [{ kind: 'send', to: call.peerId, message: mediaMessage(call.callId, seq, local.mic, camera, screen) }],
  };
}

function toggle(s: PeerState, which: 'mic' | 'camera' | 'screen'): Step {
  const call = s.call;
  // Ringing has no media of ours yet; an audio-only call has no video sender for a camera or a screen.
  if (call === null || call.phase === 'ringing' || (which !== 'mic' && call.audioOnly)) return same(s);
  const local = localMedia(call);
  const next: Call = { ...call, local: { ...local, [which]: !local[which] } };
  if (which === 'camera') return tellMedia(s, { ...next, cameraFailed: undefined }, true);
  if (which === 'screen') return local.screen ? tellMedia(s, { ...next, sharing: false }, true) : same({ ...s, call: next });
  return tellMedia(s, next, true);
}

/** What the call's video sender reports (src/rtc/video-sender.ts): a screen on it or gone, a camera that would not open. */
function onVideo(s: PeerState, e: Extract<PeerEvent, { kind: 'sharing' | 'camera-failed' }>): Step {
  const call = s.call?.callId === e.callId ? s.call : null;
  if (call === null) return same(s);
  const local = localMedia(call);
  if (e.kind === 'camera-failed') return tellMedia(s, { ...call, local: { ...local, camera: false }, cameraFailed: e.reason }, true);
  if (!local.screen) return same(s); // our button stopped it meanwhile: already told
  if (e.on) return tellMedia(s, { ...call, sharing: true }, true);
  // Stopped from the browser's UI (told), or the picker refused: nothing else changes.
  const stopped = { ...call, local: { ...local, screen: false }, sharing: false };
  return call.sharing === true ? tellMedia(s, stopped, true) : same({ ...s, call: stopped });
}

/** Our own presence while this state holds: busy once an offer or an accept is under way. */
const ownStatus = (s: PeerState): PeerStatus => (s.call === null || s.call.phase === 'ringing' ? 'available' : 'unavailable');

/** The call this message belongs to, if it comes from the current call's peer with the current callId (docs/protocol.md#call-flow). */
const matching = (s: PeerState, from: string, callId: string): Call | null =>
  s.call !== null && s.call.peerId === from && s.call.callId === callId ? s.call : null;

const newCall = (phase: Call['phase'], callId: string, peerId: string, peerName: string, at: number): Call => ({
  phase, callId, peerId, peerName, since: at, offerSent: false,
});

interface Ending {
  readonly notice?: string;
  /** Tell the other side, with this reason. */
  readonly send?: CloseReason;
}

/** Ends the current call: back to idle, tell the peer when asked, and say `available` again if we had said otherwise. */
function endCall(s: PeerState, at: number, how: Ending): Step {
  const call = s.call;
  if (call === null) return same(s);
  const effects: Effect[] = [];
  if (how.send) effects.push({ kind: 'send', to: call.peerId, message: closeMessage(call.callId, s.name, how.send) });
  if (call.phase !== 'ringing') effects.push({ kind: 'publish', presence: { status: 'available', name: s.name } });
  return {
    state: {
      ...s,
      call: null,
      choosingDevices: false,
      notice: how.notice ? { text: how.notice, until: at + NOTICE_MS } : s.notice,
      endedCalls: [...s.endedCalls, call.callId].slice(-ENDED_MEMORY),
    },
    effects,
  };
}

function upsertPeer(s: PeerState, id: string, name: string | undefined, available: boolean, at: number): PeerState {
  const peer: KnownPeer = { id, name: peerLabel(id, name ?? s.peers[id]?.name), available, seenAt: at };
  return { ...s, peers: { ...s.peers, [id]: peer } };
}

function onPresence(s: PeerState, from: string, status: PeerStatus, name: string | undefined, at: number): Step {
  if (from === s.selfId) return same(s);
  if (status === 'gone') {
    const peers = { ...s.peers };
    delete peers[from];
    const left = { ...s, peers };
    if (s.call?.peerId !== from) return same(left);
    return endCall(left, at, { notice: `${s.call.peerName} left` });
  }
  const next = upsertPeer(s, from, name, status !== 'unavailable', at);
  if (status !== 'ready') return same(next);
  // `ready`: the peer (re)subscribed, and learns from us directly whether we can be called: a newcomer
  // sees everyone, busy or not. Any offer of its previous page is stale.
  const answered = (state: PeerState): Step => ({ state, effects: [{ kind: 'send', to: from, message: presenceMessage(ownStatus(state), s.name) }] });
  const call = next.call;
  if (call === null || call.peerId !== from) return answered(next);
  if (call.phase === 'ringing') return answered({ ...next, call: null, endedCalls: [...next.endedCalls, call.callId].slice(-ENDED_MEMORY) });
  if (call.phase === 'offering' && call.offerSent) {
    // Our presence first: after a long outage the peer may have dropped us, and it ignores an offer from a stranger.
    return { state: next, effects: [...answered(next).effects, { kind: 'send', to: from, message: offerMessage(call.callId, s.name) }] };
  }
  if (call.phase === 'connected') return tellMedia(next, call, false); // its signalling reconnected: what it missed
  return same(next); // in a call with us: its signalling reconnected, and our media restarts ICE if it must (peer.ts)
}

/**
 * An offer. Glare tie-break: when both sides offered each other, the offer from the LOWER client id
 * (plain string order) wins. The higher side drops its own offer and accepts the winner's at once (it
 * already wanted this call); the lower side ignores the loser's offer, which the other side drops too.
 */
function onOffer(s: PeerState, from: string, callId: string, name: string | undefined, at: number): Step {
  const known = s.peers[from];
  // Only peers of our channel's presence may ring; the relay delivers from anyone in the domain.
  if (known === undefined || s.endedCalls.includes(callId)) return same(s);
  const peerName = peerLabel(from, name ?? known.name);
  const call = s.call;
  if (call === null || (call.phase === 'ringing' && call.peerId === from && call.callId !== callId)) {
    return same({ ...s, call: newCall('ringing', callId, from, peerName, at) });
  }
  if (call.callId === callId) return same(s); // a re-sent offer
  if (call.phase === 'offering' && call.peerId === from) {
    if (s.selfId < from) return same(s);
    return same({
      ...s,
      call: newCall('accepting', callId, from, peerName, at),
      endedCalls: [...s.endedCalls, call.callId].slice(-ENDED_MEMORY),
    });
  }
  return { state: s, effects: [{ kind: 'send', to: from, message: closeMessage(callId, s.name, 'busy') }] };
}

function onClose(s: PeerState, call: Call, reason: CloseReason | undefined, at: number): Step {
  const who = call.peerName;
  let notice: string;
  if (call.phase === 'ringing') notice = `Missed call from ${who}`;
  else if (call.phase === 'offering') {
    notice = reason === 'busy' ? `${who} is busy` : reason === 'timeout' ? `${who} did not answer` : reason === 'failed' ? `Call to ${who} failed` : `${who} declined the call`;
  } else notice = reason === 'lost' ? failureNotice('connection-lost', who) : reason === 'failed' ? `Call with ${who} failed` : `${who} hung up`;
  return endCall(s, at, { notice });
}

function onMessage(s: PeerState, from: string, m: PeerMessage, at: number): Step {
  if (m.kind === 'presence') return onPresence(s, from, m.status, m.name, at);
  if (m.kind === 'offer') return onOffer(s, from, m.callId, m.name, at);
  const call = matching(s, from, m.callId);
  if (call === null) return same(s); // another peer, or a late message of an earlier call
  switch (m.kind) {
    case 'accept':
      return call.phase === 'offering' && call.offerSent ? same({ ...s, call: { ...call, phase: 'connecting', since: at } }) : same(s);
    case 'close':
      return onClose(s, call, m.reason, at);
    case 'media':
      // Kept in any phase (it may overtake our `connected`); an older `seq` arrived late.
      return m.seq > (call.remote?.seq ?? 0) ? same({ ...s, call: { ...call, remote: { mic: m.mic, camera: m.camera, screen: m.screen, seq: m.seq } } }) : same(s);
    case 'signal':
      return same(s); // the Peer routes a call's signals straight to its media (peer.ts)
    default:
      return assertNever(m);
  }
}

function onIntent(s: PeerState, intent: Intent, at: number): Step {
  const call = s.call;
  switch (intent.kind) {
    case 'call': // the edge turns it into `place-call` with a fresh callId
      return same(s);
    case 'accept':
      return call?.phase === 'ringing' ? same({ ...s, call: { ...call, phase: 'accepting', since: at } }) : same(s);
    case 'decline':
      return call?.phase === 'ringing' ? endCall(s, at, { send: 'rejected' }) : same(s);
    case 'cancel':
      if (call?.phase === 'accepting' && call.askAudioOnly) return endCall(s, at, { send: 'rejected' }); // told as a decline
      return call?.phase === 'offering' ? endCall(s, at, call.offerSent ? { send: 'cancelled' } : {}) : same(s);
    case 'audio-only':
      return call?.askAudioOnly ? goOn(s, { ...call, askAudioOnly: false }, at) : same(s);
    case 'hangup':
      return call !== null && call.phase !== 'ringing' && call.phase !== 'offering' ? endCall(s, at, { send: 'hangup' }) : same(s);
    case 'edit-name':
      return same({ ...s, editingName: true });
    case 'close-dialog':
      return same({ ...s, editingName: false, choosingDevices: false, ...(call?.verifying ? { call: { ...call, verifying: false } } : {}) });
    case 'open-devices':
      return same({ ...s, choosingDevices: call?.devices !== undefined });
    case 'choose-device': {
      const audio = { ...s.audio, [intent.role]: intent.deviceId };
      return { state: { ...s, audio }, effects: [{ kind: 'save-audio', audio }] };
    }
    case 'toggle-mic':
      return toggle(s, 'mic');
    case 'toggle-camera':
      return toggle(s, 'camera');
    case 'toggle-self-view':
      return same({ ...s, selfViewHidden: !s.selfViewHidden });
    case 'verify':
    case 'verify-match':
    case 'verify-mismatch':
      return onVerify(s, intent.kind, at);
    case 'toggle-screen':
      return toggle(s, 'screen');
    case 'rename': {
      const name = sanitizeName(intent.name);
      const closed = { ...s, editingName: false };
      if (!name || name === s.name) return same(closed);
      const renamed = { ...closed, name };
      return {
        state: renamed,
        effects: [
          { kind: 'save-name', name },
          { kind: 'publish', presence: { status: ownStatus(renamed), name } },
        ],
      };
    }
    default:
      return assertNever(intent);
  }
}

export const MISMATCH_NOTICE = 'Call ended: the security words did not match — someone may be listening in. Call again from a trusted network.';

/** The person compared the security words in the Verify dialog, which only a connected call opens. */
function onVerify(s: PeerState, kind: 'verify' | 'verify-match' | 'verify-mismatch', at: number): Step {
  const call = s.call;
  if (call?.phase !== 'connected') return same(s);
  if (kind === 'verify') return same({ ...s, call: { ...call, verifying: true } });
  // Only words shown can be said to match (not "unavailable", not while reading).
  if (!call.verifying || call.sas === undefined || call.sas === null) return same(s);
  if (kind === 'verify-match') return same({ ...s, call: { ...call, verifying: false, verified: true } });
  // A normal hang-up for the other side: whoever is in between would read, or drop, anything more.
  return endCall(s, at, { notice: MISMATCH_NOTICE, send: 'hangup' });
}

/** Why a call failed, in plain words: the one place these are worded (also for a `close` with `lost`, and the connect deadline). */
function failureNotice(reason: RtcFailure, who: string): string {
  switch (reason) {
    case 'media-denied':
      return 'Camera and microphone are blocked for this site: allow them from the camera icon in the address bar (or the site settings), then call again';
    case 'no-device':
      return 'No camera or microphone found';
    case 'device-busy':
      return 'Your microphone or camera is in use by another application: close it, then call again';
    case 'negotiation':
      return `Could not connect to ${who}`;
    case 'ice-failed':
      return `Could not connect to ${who}: no network path between you; a relay (TURN) server may be needed`;
    case 'connection-lost':
      return `Lost the connection to ${who} for ${defaultRecoveryTiming.outageMs / 1000} s`;
    default:
      return assertNever(reason);
  }
}

/** A device trouble of the call, in words (said with the call's status). */
function deviceTrouble(role: AudioRole, lost: boolean): string {
  const device = role === 'mic' ? 'microphone' : role;
  return lost ? `Your ${device} was disconnected — now using the default ${device}` : `Could not switch the ${device} — still using the previous one`;
}

function onClock(s: PeerState, at: number): Step {
  const expired = Object.values(s.peers).filter((p) => p.seenAt + PEER_EXPIRY_MS <= at);
  const peers = { ...s.peers };
  for (const p of expired) delete peers[p.id];
  const notice = s.notice && s.notice.until <= at ? null : s.notice;
  const next: PeerState = expired.length > 0 || notice !== s.notice ? { ...s, peers, notice } : s;
  const call = next.call;
  if (call === null) return same(next);
  const who = call.peerName;
  switch (call.phase) {
    case 'ringing':
      return call.since + RING_TIMEOUT_MS <= at ? endCall(next, at, { notice: `Missed call from ${who}`, send: 'timeout' }) : same(next);
    case 'offering':
      if (expired.some((p) => p.id === call.peerId)) return endCall(next, at, { notice: `${who} is unreachable`, send: 'cancelled' });
      return call.since + OFFER_TIMEOUT_MS <= at ? endCall(next, at, { notice: `${who} did not answer`, send: 'cancelled' }) : same(next);
    case 'accepting':
    case 'connecting': {
      if (call.since + CONNECT_TIMEOUT_MS > at) return same(next);
      // Both sides agreed and signalling works, yet no media path in 30 s: ICE found no route (Chromium
      // keeps gathering when a relay-only call's TURN server is unreachable, so ICE never says `failed`).
      const noPath = call.phase === 'connecting' && next.client.kind === 'online';
      return endCall(next, at, { notice: failureNotice(noPath ? 'ice-failed' : 'negotiation', who), send: 'failed' });
    }
    case 'connected':
      return same(next);
    default:
      return assertNever(call.phase);
  }
}

/** The next time something expires (peer presence, an offer, a connect attempt, a notice), or null. */
export function nextDeadline(s: PeerState): number | null {
  const times = Object.values(s.peers).map((p) => p.seenAt + PEER_EXPIRY_MS);
  if (s.notice) times.push(s.notice.until);
  const call = s.call;
  if (call?.phase === 'ringing') times.push(call.since + RING_TIMEOUT_MS);
  if (call?.phase === 'offering') times.push(call.since + OFFER_TIMEOUT_MS);
  if (call?.phase === 'accepting' || call?.phase === 'connecting') times.push(call.since + CONNECT_TIMEOUT_MS);
  return times.length > 0 ? Math.min(...times) : null;
}

/** Our media is ready (and the person agreed to what it lacks): the offer or the accept goes out. */
function goOn(s: PeerState, call: Call, at: number): Step {
  const offering = call.phase === 'offering';
  return {
    state: { ...s, call: offering ? { ...call, offerSent: true, since: at } : { ...call, phase: 'connecting', since: at } },
    effects: [
      { kind: 'send', to: call.peerId, message: (offering ? offerMessage : acceptMessage)(call.callId, s.name) },
      { kind: 'publish', presence: { status: 'unavailable', name: s.name } },
    ],
  };
}

/** The whole Peer logic: one pure transition per event, `at` being the event's time in ms. */
export function reduce(s: PeerState, e: PeerEvent, at: number): Step {
  switch (e.kind) {
    case 'presence':
      return onPresence(s, e.from, e.status, e.name, at);
    case 'message':
      return onMessage(s, e.from, e.message, at);
    case 'intent':
      return onIntent(s, e.intent, at);
    case 'place-call': {
      const peer = s.peers[e.peerId];
      // Offline the menu offers no call (src/peer/view-model.ts); one placed anyway would ring only by luck.
      if (s.call !== null || peer === undefined || !peer.available || stopped(s) || s.client.kind !== 'online') return same(s);
      return same({ ...s, notice: null, call: newCall('offering', e.callId, peer.id, peer.name, at) });
    }
    case 'client': {
      const next = { ...s, client: e.status, clientAt: at };
      // Signed in elsewhere, or refused: this page can no longer signal, so any call ends here.
      return e.status.kind === 'punted' || e.status.kind === 'login-failed' ? endCall(next, at, {}) : same(next);
    }
    case 'media-ready': {
      const call = s.call?.callId === e.callId ? s.call : null;
      if (call === null || call.askAudioOnly || !((call.phase === 'offering' && !call.offerSent) || call.phase === 'accepting')) return same(s);
      const ready: Call = { ...call, audioOnly: e.audioOnly };
      // A blocked camera is the person's choice to make: asked before the other side hears of us (30 s to answer).
      return e.audioOnly === 'camera-blocked' ? same({ ...s, call: { ...ready, askAudioOnly: true, since: at } }) : goOn(s, ready, at);
    }
    case 'rtc-state': {
      const call = s.call?.callId === e.callId ? s.call : null;
      if (call === null) return same(s);
      // Media flowing proves the other side accepted, even if its `accept` is still on the way (the relay reorders).
      const accepted = call.phase === 'connecting' || (call.phase === 'offering' && call.offerSent);
      if (e.state === 'connected' && call.phase === 'connected') return call.interrupted ? tellMedia(s, { ...call, interrupted: false }, false) : same(s);
      if (e.state === 'connected' && accepted) return tellMedia(s, { ...call, phase: 'connected', since: at }, false);
      // Only a call that had media can lose it; before that the status already says "Connecting to X…".
      if (e.state === 'reconnecting' && call.phase === 'connected') return same({ ...s, call: { ...call, interrupted: true } });
      return same(s);
    }
    case 'rtc-quality': {
      const call = s.call?.callId === e.callId ? s.call : null;
      return call === null || (call.poor ?? null) === e.poor ? same(s) : same({ ...s, call: { ...call, poor: e.poor } });
    }
    case 'rtc-verification': {
      const call = s.call?.callId === e.callId ? s.call : null;
      if (call === null || sameJson(call.sas, e.words)) return same(s);
      // New words (a new DTLS handshake): what was compared before says nothing about them.
      return same({ ...s, call: { ...call, sas: e.words, verified: false } });
    }
    case 'sharing':
    case 'camera-failed':
      return onVideo(s, e);
    case 'call-audio': {
      const call = s.call?.callId === e.callId ? s.call : null;
      if (call === null) return same(s);
      const a = e.event;
      if (a.kind === 'devices') {
        const { kind: _, ...devices } = a;
        return same({ ...s, call: { ...call, devices } });
      }
      return same({ ...s, notice: { text: deviceTrouble(a.role, a.lost), until: at + NOTICE_MS, callId: call.callId } });
    }
    case 'rtc-error': {
      const call = s.call?.callId === e.callId ? s.call : null;
      if (call === null) return same(s);
      const peerKnows = call.phase !== 'offering' || call.offerSent;
      const send: CloseReason = e.reason === 'connection-lost' ? 'lost' : 'failed';
      return endCall(s, at, { notice: failureNotice(e.reason, call.peerName), ...(peerKnows ? { send } : {}) });
    }
    case 'keepalive': {
      // Refreshed in a call too (as busy), or the others would drop us after 60 s while we talk.
      const publish: Effect = { kind: 'publish', presence: { status: ownStatus(s), name: s.name } };
      const call = s.call;
      // The relay neither acknowledges nor orders delivery, so an unanswered offer is re-sent (docs/protocol.md#call-flow).
      if (call?.phase === 'offering' && call.offerSent) return { state: s, effects: [publish, { kind: 'send', to: call.peerId, message: offerMessage(call.callId, s.name) }] };
      return { state: s, effects: [publish] };
    }
    case 'clock':
      return onClock(s, at);
    case 'leave': {
      const call = s.call;
      const reason: CloseReason | undefined =
        call === null ? undefined : call.phase === 'ringing' ? 'rejected' : call.phase === 'offering' ? (call.offerSent ? 'cancelled' : undefined) : 'hangup';
      const ended = reason ? endCall(s, at, { send: reason }) : endCall(s, at, {});
      // Only the close matters here; `disconnect` publishes `gone`, so no `available` first.
      return { state: ended.state, effects: [...ended.effects.filter((x) => x.kind === 'send'), { kind: 'disconnect' }] };
    }
    default:
      return assertNever(e);
  }
}
