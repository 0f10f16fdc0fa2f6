import type { JsonObject, PeerEnvelope, PeerStatus, PresenceEvent } from './client-types';
import { decodeBody, type Decoded } from './codec';
import { isRecord } from '../json';
import { isPeerStatus } from './peer-status';
import { parsePage, type PageInstance } from './page-instance';

/** The id part of `id@domain` (or the bare id). */
export const bareId = (userId: string): string => userId.split('@')[0];

/**
 * The presence payload `{peerStatus, peerName?, peerPage?}` (docs/protocol.md#presence) from a decoded body.
 * The name is passed on as sent: the display-name rule (src/peer/display-name.ts) applies where it is shown.
 */
export function readPresence(body: JsonObject): Decoded<{ status: PeerStatus; name?: string; page?: PageInstance }> {
  const status = body.peerStatus;
  if (!isPeerStatus(status)) return { ok: false, error: 'no valid peerStatus' };
  const name = body.peerName;
  // A malformed page is no page: the event still counts as presence, just without the duplicate-login rule.
  const page = parsePage(body.peerPage);
  return { ok: true, value: { status, ...(typeof name === 'string' ? { name } : {}), ...(page !== undefined ? { page } : {}) } };
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

/** The field a sending client adds to every peer message body: its id, unique per sending page. */
export const MSG_ID_FIELD = 'peerMsgId';
const MSG_ID = /^[A-Za-z0-9:._-]{1,100}$/;

/**
 * A delivered `verto.info` `msg` addressed to us → a peer envelope (docs/protocol.md#delivered-msg)
 * and the message's id, taken out of the body (clients that send none are still heard, undeduplicated).
 */
export function readPeerMessage(params: JsonObject, ownId: string): Decoded<{ envelope: PeerEnvelope; id?: string }> {
  const msg = params.msg;
  if (!isRecord(msg)) return { ok: false, error: 'verto.info without msg' };
  const { from, to, body } = msg;
  if (typeof from !== 'string' || typeof to !== 'string' || typeof body !== 'string') {
    return { ok: false, error: 'msg without string from/to/body' };
  }
  if (bareId(to) !== ownId) return { ok: false, error: `msg addressed to ${to}` };
  if (bareId(from) === '') return { ok: false, error: 'msg with empty from' };
  const decoded = decodeBody(body);
  if (!decoded.ok) return decoded;
  const { [MSG_ID_FIELD]: id, ...message } = decoded.value;
  if (id !== undefined && (typeof id !== 'string' || !MSG_ID.test(id))) return { ok: false, error: `msg with a malformed ${MSG_ID_FIELD}` };
  return { ok: true, value: { envelope: { from: bareId(from), message }, ...(id !== undefined ? { id } : {}) } };
}
