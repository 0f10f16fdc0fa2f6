import { isRecord, type JsonObject, type JsonValue } from '../json';

/** Bodies above this many base64 characters are refused (docs/protocol.md#codec). */
export const MAX_BODY_CHARS = 64 * 1024;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/**
 * Encodes a JSON object as standard base64 (with padding) of its UTF-8 bytes. Base64 survives the
 * FreeSWITCH `chat` API unchanged; raw JSON would not (docs/protocol.md#why-bodies-are-base64).
 */
export function encodeBody(value: JsonObject): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let binary = '';
  // Chunks keep String.fromCharCode's argument count well below engine limits.
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** The reverse of encodeBody; anything that is not base64 → UTF-8 → JSON → object is an error value, never a throw. */
export function decodeBody(body: string): Decoded<JsonObject> {
  if (body.length === 0) return { ok: false, error: 'empty body' };
  if (body.length > MAX_BODY_CHARS) return { ok: false, error: `body over ${MAX_BODY_CHARS} characters` };
  if (!BASE64.test(body)) return { ok: false, error: 'body is not standard base64' };
  const binary = atob(body);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, error: 'body is not UTF-8' };
  }
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return { ok: false, error: 'body is not JSON' };
  }
  return isRecord(value) ? { ok: true, value } : { ok: false, error: 'body is not a JSON object' };
}
