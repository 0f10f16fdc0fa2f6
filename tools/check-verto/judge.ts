import type { JsonObject, JsonValue } from '../../src/verto/client-types';
import { isRecord } from '../../src/json';
import { decodeBody } from '../../src/verto/codec';
import { bareId } from '../../src/verto/inbound';
import type { RpcReply, ServerRequest } from '../../src/verto/jsonrpc';

/**
 * Pure verdicts on what mod_verto answered or delivered. Shapes are those of FreeSWITCH 1.11.1 as captured
 * in spec/server/fixtures/freeswitch-1.11.1 (which the development server replays).
 */
export interface Verdict {
  readonly pass: boolean;
  readonly detail: string;
}

const pass = (detail: string): Verdict => ({ pass: true, detail });
const fail = (detail: string): Verdict => ({ pass: false, detail });

/** A check that threw (no answer in time, socket closed) failed, with the error's text. */
export const failedWith = (error: unknown): Verdict => fail(error instanceof Error ? error.message : String(error));

/** A reply in a few words, for a detail: `error -32001 "Authentication Failure"`, `result {…}`. */
export function describeReply(reply: RpcReply): string {
  const part = reply.error ?? reply.result ?? {};
  const code = typeof part.code === 'number' ? ` ${part.code}` : '';
  const message = typeof part.message === 'string' ? ` ${JSON.stringify(part.message)}` : '';
  const rest = code === '' && message === '' ? ` ${JSON.stringify(part).slice(0, 160)}` : '';
  return `${reply.error ? 'error' : 'result'}${code}${message}${rest}`;
}

const strings = (value: JsonValue | undefined): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/** Logins cross the network in cleartext over ws:// to anything but this machine. */
export function judgeTransport(url: string): Verdict {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'wss:') return pass('wss://');
  if (LOOPBACK.test(hostname)) return pass(`ws:// on loopback (${hostname})`);
  return fail(`ws:// to ${hostname}: passwords would cross the network in cleartext; check the wss:// endpoint instead`);
}

export function judgeLogin(reply: RpcReply): Verdict {
  if (reply.result && !reply.error) return pass(`logged in${typeof reply.result.message === 'string' ? ` (${JSON.stringify(reply.result.message)})` : ''}`);
  return fail(`login refused: ${describeReply(reply)}`);
}

/** The auth gate: a login with a wrong password must be an error (mod_verto: -32001 "Authentication Failure"). */
export function judgeWrongPassword(reply: RpcReply): Verdict {
  if (reply.error) return pass(`refused: ${describeReply(reply)}`);
  return fail(`a wrong password logged in: ${describeReply(reply)}`);
}

/** A request without a login on a fresh socket must be -32000 "Authentication Required". */
export function judgeUnauthenticated(reply: RpcReply): Verdict {
  if (reply.error?.code === -32000) return pass(`refused: ${describeReply(reply)}`);
  return fail(`expected error -32000 "Authentication Required", got ${describeReply(reply)}`);
}

/** A subscribe the directory allows: `result` naming the channel as subscribed (or already subscribed). */
export function judgeSubscribe(reply: RpcReply, channel: string): Verdict {
  const result = reply.result;
  if (result && [...strings(result.subscribedChannels), ...strings(result.alreadySubscribedChannels)].includes(channel)) return pass('subscribed');
  return fail(`not subscribed: ${describeReply(reply)}`);
}

/** A subscribe to a channel the user lacks: the channel comes back as unauthorized (an `error` when it is the only one). */
export function judgeSubscribeRefused(reply: RpcReply, channel: string): Verdict {
  const part: JsonObject = reply.error ?? reply.result ?? {};
  const subscribed = [...strings(part.subscribedChannels), ...strings(part.alreadySubscribedChannels)].includes(channel);
  if (!subscribed && strings(part.unauthorizedChannels).includes(channel)) return pass(`refused: ${describeReply(reply)}`);
  return fail(`expected ${channel} in unauthorizedChannels, got ${describeReply(reply)}`);
}

/** mod_verto reports broadcast failures inside `result`, with code -32002. */
export function judgeBroadcastAccepted(reply: RpcReply): Verdict {
  if (reply.result && reply.result.code === undefined) return pass('accepted');
  return fail(`broadcast refused: ${describeReply(reply)}`);
}

export function judgeBroadcastRefused(reply: RpcReply): Verdict {
  if (reply.error || typeof reply.result?.code === 'number') return pass(`refused: ${describeReply(reply)}`);
  return fail(`accepted: ${describeReply(reply)}`);
}

/** The relay's answer means nothing (FreeSWITCH says SENT whether or not anyone gets it); only an error is news. */
export function judgeInfoAccepted(reply: RpcReply): Verdict {
  if (reply.result) return pass(describeReply(reply));
  return fail(`verto.info refused: ${describeReply(reply)}`);
}

/**
 * `verto.invite` must be refused before its handler runs: -32601, as mod_verto answers a method missing from
 * jsonrpc-allowed-methods. Any other answer means the handler ran (the probe carries no SDP, so it stops at
 * "CALL ERROR" without creating a call, but a real offer would be routed into the dialplan).
 */
export function judgeInviteRefused(reply: RpcReply): Verdict {
  if (reply.error?.code === -32601) return pass(`refused: ${describeReply(reply)}`);
  return fail(
    `verto.invite reached its handler (${describeReply(reply)}): set jsonrpc-allowed-methods to verto.subscribe,verto.broadcast,verto.info,verto.ping`,
  );
}

/** The `verto.event` carrying our probe: on `channel`, eventData decoding to an object with this nonce. */
export const isProbeEvent =
  (channel: string, nonce: string) =>
  (request: ServerRequest): boolean => {
    if (request.method !== 'verto.event' || request.params.eventChannel !== channel) return false;
    const data = request.params.eventData;
    if (typeof data !== 'string') return false;
    const decoded = decodeBody(data);
    return decoded.ok && decoded.value.checkVerto === nonce;
  };

/** A delivered `verto.info` msg whose body is exactly `body` (malformed bodies are matched as sent). */
export const isMessageWithBody =
  (body: string) =>
  (request: ServerRequest): boolean =>
    request.method === 'verto.info' && isRecord(request.params.msg) && request.params.msg.body === body;

/** The in-channel delivery: the body arrived and `msg.from` names the sender (ids compared without the domain). */
export function judgeDelivered(received: ServerRequest | null, sender: string, elapsedMs: number): Verdict {
  if (received === null) return fail('not delivered');
  const msg = received.params.msg;
  const from = isRecord(msg) && typeof msg.from === 'string' ? msg.from : '';
  if (bareId(from) !== bareId(sender)) return fail(`delivered, but msg.from is ${JSON.stringify(from)} instead of ${bareId(sender)}`);
  return pass(`delivered in ${elapsedMs} ms`);
}

/** A refusal the relay cannot report: nothing may arrive within the wait. */
export function judgeNotDelivered(received: ServerRequest | null, waitMs: number): Verdict {
  if (received === null) return pass(`not delivered within ${waitMs} ms`);
  return fail(`delivered: ${received.method} ${JSON.stringify(received.params).slice(0, 160)}`);
}
