import { isRecord, type JsonObject, type JsonValue } from '../json';
import type { Decoded } from './codec';

/** Frames larger than this are dropped unread (the server caps its own at 1,000,000 bytes). */
export const MAX_FRAME_CHARS = 1_000_000;

/** A reply to one of our requests: routed by the absence of `method`, never by id (docs/protocol.md#json-rpc). */
export interface RpcReply {
  readonly kind: 'reply';
  readonly id: JsonValue;
  readonly result?: JsonObject;
  readonly error?: JsonObject;
}

/** A request or notification from the server (`verto.event`, `verto.info`, `verto.punt`, …). */
export interface ServerRequest {
  readonly kind: 'request';
  readonly method: string;
  readonly params: JsonObject;
}

export type InboundFrame = RpcReply | ServerRequest;

/** Parses and classifies one text frame. Pure; malformed input becomes an error value. */
export function decodeFrame(text: string): Decoded<InboundFrame> {
  if (text.length > MAX_FRAME_CHARS) return { ok: false, error: `frame over ${MAX_FRAME_CHARS} characters` };
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return { ok: false, error: 'frame is not JSON' };
  }
  if (!isRecord(value)) return { ok: false, error: 'frame is not a JSON object' };
  if (value.jsonrpc !== '2.0') return { ok: false, error: 'frame is not JSON-RPC 2.0' };
  if ('method' in value) {
    if (typeof value.method !== 'string') return { ok: false, error: 'method is not a string' };
    const params = value.params ?? {};
    if (!isRecord(params)) return { ok: false, error: `${value.method}: params is not an object` };
    return { ok: true, value: { kind: 'request', method: value.method, params } };
  }
  const result = value.result;
  const error = value.error;
  if (result !== undefined && !isRecord(result)) return { ok: false, error: 'result is not an object' };
  if (error !== undefined && !isRecord(error)) return { ok: false, error: 'error is not an object' };
  if (result === undefined && error === undefined) return { ok: false, error: 'frame has neither method, result nor error' };
  return { ok: true, value: { kind: 'reply', id: value.id ?? null, ...(result ? { result } : {}), ...(error ? { error } : {}) } };
}

export function encodeRequest(id: string, method: string, params: JsonObject): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method, params });
}
