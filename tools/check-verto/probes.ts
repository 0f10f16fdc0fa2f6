import { randomUUID } from 'node:crypto';
import type { JsonObject } from '../../src/verto/client-types';
import { encodeBody } from '../../src/verto/codec';

/**
 * The requests the check sends, built as verto-peer's client builds them (base64 JSON bodies from its
 * codec), each carrying a fresh nonce so what arrives can be told from anything else on the socket.
 */
export const nonce = (): string => randomUUID();

export const login = (loginId: string, password: string): JsonObject => ({ login: loginId, passwd: password, sessid: randomUUID() });

export const subscribe = (channel: string): JsonObject => ({ eventChannel: channel });

/** A presence-like broadcast: localBroadcast, as the client sends it, so other verto sockets get it. */
export const broadcast = (channel: string, id: string): JsonObject => ({ eventChannel: channel, localBroadcast: true, eventData: encodeBody({ checkVerto: id }) });

export const peerBody = (id: string): string => encodeBody({ checkVerto: id });

export const peerMessage = (to: string, body: string): JsonObject => ({ msg: { to, body } });

/** Bodies the relay must drop: not base64 at all, and a `|` (the chat API's argument separator). */
export const plainTextBody = (id: string): string => `check-verto plain text ${id}`;
export const pipeBody = (id: string): string => `${encodeBody({ checkVerto: id })}|x`;

/**
 * A `verto.invite` that cannot create a call even where the method is allowed: it has a dialog and a
 * call id but no SDP, so mod_verto's handler stops before it opens a channel.
 */
export const harmlessInvite = (): JsonObject => ({ dialogParams: { callID: randomUUID(), destination_number: 'check-verto' } });
