import { isRecord, type JsonObject, type JsonValue } from '../json';
import { isPeerStatus, type PeerStatus } from '../verto/peer-status';
import type { Signal } from '../rtc/connection-types';

/**
 * Why a call ended; `busy`, `timeout` and `lost` (no media for the whole outage limit) extend the
 * list in docs/protocol.md#peer-messages, unknown reasons read as undefined.
 */
export type CloseReason = 'rejected' | 'cancelled' | 'hangup' | 'failed' | 'busy' | 'timeout' | 'lost';
const CLOSE_REASONS: readonly CloseReason[] = ['rejected', 'cancelled', 'hangup', 'failed', 'busy', 'timeout', 'lost'];

/** A validated `verto.info` message body (docs/protocol.md#peer-messages), tagged by `kind`. */
export type PeerMessage =
  | { readonly kind: 'presence'; readonly status: PeerStatus; readonly name?: string }
  | { readonly kind: 'offer'; readonly callId: string; readonly name?: string }
  | { readonly kind: 'accept'; readonly callId: string; readonly name?: string }
  | { readonly kind: 'close'; readonly callId: string; readonly reason?: CloseReason }
  | { readonly kind: 'signal'; readonly callId: string; readonly signal: Signal }
  /** The sender's microphone, camera and screen sharing (docs/protocol.md#peer-messages): `seq` grows per call, an older one is stale. */
  | { readonly kind: 'media'; readonly callId: string; readonly seq: number; readonly mic: boolean; readonly camera: boolean; readonly screen: boolean };

export type DecodeResult = { readonly ok: true; readonly message: PeerMessage } | { readonly ok: false; readonly error: string };

// Our callIds are UUIDs; anything id-like and short is accepted so a bad id can never reach the DOM or a log unbounded.
const CALL_ID = /^[A-Za-z0-9-]{1,64}$/;
const MAX_SDP = 60_000;

const fail = (error: string): DecodeResult => ({ ok: false, error });
const optionalName = (v: JsonValue | undefined): { name?: string } => (typeof v === 'string' ? { name: v } : {});

function decodeCandidate(v: JsonValue | undefined): RTCIceCandidateInit | null | undefined {
  if (v === null) return null; // end of candidates
  if (!isRecord(v) || typeof v.candidate !== 'string') return undefined;
  const { sdpMid, sdpMLineIndex, usernameFragment } = v;
  if (sdpMid !== undefined && sdpMid !== null && typeof sdpMid !== 'string') return undefined;
  if (sdpMLineIndex !== undefined && sdpMLineIndex !== null && !(typeof sdpMLineIndex === 'number' && Number.isInteger(sdpMLineIndex) && sdpMLineIndex >= 0)) return undefined;
  if (usernameFragment !== undefined && usernameFragment !== null && typeof usernameFragment !== 'string') return undefined;
  return {
    candidate: v.candidate,
    ...(sdpMid !== undefined ? { sdpMid } : {}),
    ...(sdpMLineIndex !== undefined ? { sdpMLineIndex } : {}),
    ...(usernameFragment !== undefined ? { usernameFragment } : {}),
  };
}

function decodeDescription(v: JsonValue | undefined): RTCSessionDescriptionInit | undefined {
  if (!isRecord(v) || (v.type !== 'offer' && v.type !== 'answer') || typeof v.sdp !== 'string' || v.sdp.length > MAX_SDP) return undefined;
  return { type: v.type, sdp: v.sdp };
}

/** Validates a decoded `msg` body from another client; pure, never throws. */
export function decodePeerMessage(m: JsonObject): DecodeResult {
  if (typeof m.peerStatus === 'string') {
    const status = m.peerStatus;
    return isPeerStatus(status) ? { ok: true, message: { kind: 'presence', status, ...optionalName(m.peerName) } } : fail(`unknown peerStatus`);
  }
  if (typeof m.peerAction !== 'string') return fail('neither peerStatus nor peerAction');
  const callId = m.callId;
  if (typeof callId !== 'string' || !CALL_ID.test(callId)) return fail(`${m.peerAction} without a valid callId`);
  switch (m.peerAction) {
    case 'offer':
    case 'accept':
      return { ok: true, message: { kind: m.peerAction, callId, ...optionalName(m.peerName) } };
    case 'close': {
      const reason = CLOSE_REASONS.find((r) => r === m.reason);
      return { ok: true, message: { kind: 'close', callId, ...(reason ? { reason } : {}) } };
    }
    case 'error': // the original client's failure message: read as close/failed (docs/protocol.md#peer-messages)
      return { ok: true, message: { kind: 'close', callId, reason: 'failed' } };
    case 'description': {
      const description = decodeDescription(m.description);
      return description ? { ok: true, message: { kind: 'signal', callId, signal: { kind: 'description', description } } } : fail('invalid description');
    }
    case 'candidate': {
      const candidate = decodeCandidate(m.candidate);
      return candidate !== undefined ? { ok: true, message: { kind: 'signal', callId, signal: { kind: 'candidate', candidate } } } : fail('invalid candidate');
    }
    case 'media': {
      const { seq, mic, camera, screen = false } = m;
      if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1 || typeof mic !== 'boolean' || typeof camera !== 'boolean' || typeof screen !== 'boolean') {
        return fail('invalid media');
      }
      return { ok: true, message: { kind: 'media', callId, seq, mic, camera, screen } };
    }
    default:
      return fail('unknown peerAction');
  }
}

/** Outgoing call-control messages, as the wire wants them. */
export const offerMessage = (callId: string, peerName: string): JsonObject => ({ peerAction: 'offer', peerName, callId });
export const acceptMessage = (callId: string, peerName: string): JsonObject => ({ peerAction: 'accept', peerName, callId });
export const closeMessage = (callId: string, peerName: string, reason: CloseReason): JsonObject => ({ peerAction: 'close', peerName, callId, reason });
/** `screen` only while sharing, so what older clients read is unchanged. */
export const mediaMessage = (callId: string, seq: number, mic: boolean, camera: boolean, screen = false): JsonObject => ({
  peerAction: 'media', callId, seq, mic, camera, ...(screen ? { screen } : {}),
});
/** A direct presence reply (to a newcomer's `ready`): `available`, or `unavailable` while in a call. */
export const presenceMessage = (peerStatus: PeerStatus, peerName: string): JsonObject => ({ peerStatus, peerName });

/** Wraps an outgoing negotiation signal (Signal → `peerAction` description / candidate). */
export function signalMessage(callId: string, signal: Signal): JsonObject {
  if (signal.kind === 'description') {
    return { peerAction: 'description', callId, description: { type: signal.description.type, sdp: signal.description.sdp ?? '' } };
  }
  const c = signal.candidate;
  return {
    peerAction: 'candidate',
    callId,
    candidate: c === null ? null : { candidate: c.candidate ?? '', sdpMid: c.sdpMid ?? null, sdpMLineIndex: c.sdpMLineIndex ?? null, usernameFragment: c.usernameFragment ?? null },
  };
}
