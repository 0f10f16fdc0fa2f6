import type { PeerEnvelope, PeerStatus, PresenceEvent } from './client-types';
import { decodeBody, isJsonObject, type Decoded } from './codec';
import type { JsonObject } from './client-types';
import { parsePage, type PageInstance } from './page-instance';

const STATUSES: readonly PeerStatus[] = ['ready', 'available', 'unavailable', 'gone'];
export const MAX_NAME_LENGTH = 32;

// C0/C1 controls, DEL, line/paragraph separators, and bidi overrides/isolates that could disguise a name.
// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const UNSAFE_IN_NAMES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** The id part of `id@domain` (or the bare id). */
export const bareId = (userId: string): string => userId.split('@')[0];

/**
 * A display name, ours or another client's: any Unicode, control characters stripped, trimmed,
 * at most 32 characters; anything else is no name at all. It is rendered with textContent only.
 */
export function cleanName(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return undefined;
  const cleaned = raw.replace(UNSAFE_IN_NAMES, '').trim();
  if (cleaned === '') return undefined;
  return [...cleaned].slice(0, MAX_NAME_LENGTH).join('').trim();
}

/** The presence payload `{peerStatus, peerName?, peerPage?}` (protocol doc §8.2) from a decoded body. */
export function readPresence(body: JsonObject): Decoded<{ status: PeerStatus; name?: string; page?: PageInstance }> {
  const status = body.peerStatus;
  if (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status)) {
    return { ok: false, error: 'no valid peerStatus' };
  }
  const name = cleanName(body.peerName);
  // A malformed page is no page: the event still counts as presence, just without the duplicate-login rule.
  const page = parsePage(body.peerPage);
  return { ok: true, value: { status: status as PeerStatus, ...(name !== undefined ? { name } : {}), ...(page !== undefined ? { page } : {}) } };
}

/**
 * A `verto.event` on our channel → a presence event of another client. The sender is the server-set
 * `userid` (last key wins in JSON.parse, so a forged copy loses), never the payload.
 */
export function readPresenceEvent(params: JsonObject, channelId: string): Decoded<PresenceEvent> {
  if (params.eventChannel !== channelId) return { ok: false, error: `event for another channel (${JSON.stringify(params.eventChannel)})` };
  const userid = params.userid;
  if (typeof userid !== 'string' || userid === '') return { ok: false, error: 'event without userid' };
  if (typeof params.eventData !== 'string') return { ok: false, error: 'event without eventData' };
  const body = decodeBody(params.eventData);
  if (!body.ok) return body;
  const presence = readPresence(body.value);
  if (!presence.ok) return presence;
  return { ok: true, value: { from: bareId(userid), ...presence.value } };
}

/** A delivered `verto.info` `msg` addressed to us → a peer envelope (protocol doc §5.3). */
export function readPeerMessage(params: JsonObject, ownId: string): Decoded<PeerEnvelope> {
  const msg = params.msg;
  if (!isJsonObject(msg)) return { ok: false, error: 'verto.info without msg' };
  const { from, to, body } = msg;
  if (typeof from !== 'string' || typeof to !== 'string' || typeof body !== 'string') {
    return { ok: false, error: 'msg without string from/to/body' };
  }
  if (bareId(to) !== ownId) return { ok: false, error: `msg addressed to ${to}` };
  if (bareId(from) === '') return { ok: false, error: 'msg with empty from' };
  const decoded = decodeBody(body);
  if (!decoded.ok) return decoded;
  return { ok: true, value: { from: bareId(from), message: decoded.value } };
}
