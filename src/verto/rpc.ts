import { defer, EMPTY, filter, map, merge, type MonoTypeOperatorFunction, Observable, race, take, timer } from 'rxjs';
import type { JsonObject } from './client-types';
import { RpcError, RpcTimeoutError } from './errors';
import { encodeRequest, type RpcReply } from './jsonrpc';

export interface Rpc {
  /** Sends one request; emits its result once and completes, or errors with RpcError / RpcTimeoutError. */
  request(method: string, params: JsonObject, timeoutMs?: number): Observable<JsonObject>;
}

export interface RpcDeps {
  readonly send: (text: string) => void;
  /** Replies of this connection only (frames without `method`). */
  readonly replies$: Observable<RpcReply>;
  readonly nextId: () => string;
  readonly defaultTimeoutMs: number;
}

/** Request/reply correlation for one connection: listen first, then send; match by id; take(1); time out. */
export function createRpc(deps: RpcDeps): Rpc {
  return {
    request: (method, params, timeoutMs = deps.defaultTimeoutMs) =>
      defer(() => {
        const id = deps.nextId();
        const reply$ = deps.replies$.pipe(
          filter((reply) => reply.id === id),
          take(1),
          map((reply) => {
            if (reply.error) throw toRpcError(reply.error);
            return reply.result ?? {};
          }),
        );
        const send$ = defer(() => {
          deps.send(encodeRequest(id, method, params));
          return EMPTY;
        });
        // merge subscribes reply$ before send$ runs, so even a synchronous reply is not missed.
        return merge(reply$, send$).pipe(firstWithin(timeoutMs, () => new RpcTimeoutError(method)));
      }),
  };
}

/**
 * Errors with `error()` unless the source emits (or ends) within `ms`; after its first value it runs
 * untimed. timeout({ first, with }) does the same; race and timer are in the bundle anyway, timeout is not.
 */
export function firstWithin<T>(ms: number, error: () => Error): MonoTypeOperatorFunction<T> {
  return (source) =>
    race(
      source,
      timer(ms).pipe(
        map((): T => {
          throw error();
        }),
      ),
    );
}

function toRpcError(error: JsonObject): RpcError {
  const code = typeof error.code === 'number' ? error.code : undefined;
  const message = typeof error.message === 'string' ? error.message : JSON.stringify(error);
  return new RpcError(code, message, error);
}
