/** The socket closed (or never opened); `code` is the WebSocket close code. Retryable. */
export class SocketClosedError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(`socket closed (${code}${reason ? `: ${reason}` : ''})`);
    this.name = 'SocketClosedError';
  }
}

/** A JSON-RPC error reply. `code` is absent for verto's code-less handler errors. */
export class RpcError extends Error {
  constructor(
    readonly code: number | undefined,
    message: string,
    readonly data: unknown,
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** No reply within the request's time limit. Retryable when it ends a connection. */
export class RpcTimeoutError extends Error {
  constructor(readonly method: string) {
    super(`${method}: no reply in time`);
    this.name = 'RpcTimeoutError';
  }
}

/**
 * The socket did not open in time. Without this limit a socket opened during an outage waits on the
 * kernel's SYN retries for a minute or more. Retryable: it counts as one failed attempt.
 */
export class ConnectTimeoutError extends Error {
  constructor(readonly afterMs: number) {
    super(`no connection within ${afterMs} ms`);
    this.name = 'ConnectTimeoutError';
  }
}

/** The server refused our credentials (-32001). Terminal: credentials don't fix themselves. */
export class LoginFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoginFailedError';
  }
}

/** `verto.punt`: another connection took this session or these credentials. Terminal. */
export class PuntedError extends Error {
  constructor() {
    super('signed in elsewhere');
    this.name = 'PuntedError';
  }
}

/** The server held our session id for another user ("Session in use"): retry with a fresh one. */
export class SessionInUseError extends Error {
  constructor() {
    super('session id in use');
    this.name = 'SessionInUseError';
  }
}

export const isTerminal = (error: unknown): boolean => error instanceof LoginFailedError || error instanceof PuntedError;

/** A short human description for status lines and logs. */
export function describeError(error: unknown): string {
  if (error instanceof SocketClosedError) return error.code === 1006 ? 'connection lost' : `connection closed (${error.code})`;
  if (error instanceof RpcTimeoutError) return 'server not answering';
  if (error instanceof ConnectTimeoutError) return 'server not reachable';
  if (error instanceof Error) return error.message;
  return String(error);
}
