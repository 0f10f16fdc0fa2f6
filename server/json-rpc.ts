/** The JSON-RPC frames mod_verto writes, in its key order; JSON values and the object check are the client's (src/json.ts). */
import type { JsonObject, JsonValue } from '../src/json';
export { isRecord } from '../src/json';
export type { JsonObject, JsonValue };

/** mod_verto's error texts, kept in one place so tests and handlers agree. */
export const ERR = {
  invalidRequest: { code: -32600, message: 'Invalid Request' },
  invalidMessage: { code: -32600, message: 'Invalid message' },
  authRequired: { code: -32000, message: 'Authentication Required' },
  missingParams: { code: -32001, message: 'Missing params' },
  missingPasswd: { code: -32001, message: 'Missing passwd' },
  /** A login without `@domain` on a profile without force-register-domain. */
  improperCredentials: { code: -32001, message: 'Missing or improper credentials' },
  loginIncorrect: { code: -32001, message: 'Login Incorrect' },
  authFailure: { code: -32001, message: 'Authentication Failure' },
  sessionInUse: { code: -32001, message: 'Session in use' },
  /** Not a FreeSWITCH text: the development-only max-clients-per-channel limit, reported like any refused login. */
  channelFull: { code: -32001, message: 'Channel full' },
  invalidMethod: { code: -32601, message: 'Invalid Method, Missing Method or Permission Denied' },
} as const;

export type Outcome = { readonly result: JsonObject } | { readonly error: JsonObject };

export const reply = (id: JsonValue, outcome: Outcome): JsonObject => ({ jsonrpc: '2.0', id, ...outcome });

/** The two dispatch-level errors are written with `error` before `id` (fixture 08). */
export const envelopeError = (id: JsonValue, error: { code: number; message: string }): JsonObject => ({
  jsonrpc: '2.0',
  error: { ...error },
  id,
});

export const request = (id: number, method: string, params: JsonObject): JsonObject => ({ jsonrpc: '2.0', id, method, params });
