import { WebSocket } from 'ws';
import type { JsonObject } from '../../src/verto/client-types';
import { decodeFrame, encodeRequest, type RpcReply, type ServerRequest } from '../../src/verto/jsonrpc';

/** Why a socket could not be opened, in words an administrator can act on. */
export class ConnectError extends Error {}

let counter = 0;
const nextId = (): string => `check-verto-${++counter}`;

/** Plain words for the errors `ws` and node report while connecting. */
function describe(error: Error & { code?: string }): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset';
    default:
      // Node's certificate errors (self-signed, expired, wrong name, unknown issuer).
      if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(error.code ?? '')) return `TLS certificate not accepted (${error.message})`;
      return error.message;
  }
}

/**
 * One verto WebSocket as the check uses it: requests resolve with their reply (matched by id, routed by
 * the absence of `method`, as the client does), and every server request is kept, so a check can ask
 * "did this arrive" after a bounded wait as well as wait for the first match.
 */
export class VertoConnection {
  /** Server requests (verto.event, verto.info, verto.clientReady…) in arrival order. */
  readonly requests: ServerRequest[] = [];
  private readonly replies = new Map<string, (reply: RpcReply) => void>();
  private wakers: Array<() => void> = [];

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const decoded = decodeFrame(data.toString('utf8'));
      if (!decoded.ok) return;
      const frame = decoded.value;
      if (frame.kind === 'reply') {
        const resolve = typeof frame.id === 'string' ? this.replies.get(frame.id) : undefined;
        resolve?.(frame);
        return;
      }
      this.requests.push(frame);
      this.wakers.forEach((wake) => wake());
    });
  }

  /** Opens a socket; rejects with a ConnectError (refused, not found, not a WebSocket, timed out). */
  static open(url: string, timeoutMs: number): Promise<VertoConnection> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const fail = (reason: string): void => {
        clearTimeout(timer);
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        ws.terminate();
        reject(new ConnectError(reason));
      };
      // One bound for the TCP connect (a filtered port never answers), TLS and the upgrade together.
      const timer = setTimeout(() => fail(`no WebSocket within ${timeoutMs} ms`), timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        ws.removeAllListeners('error');
        ws.removeAllListeners('unexpected-response');
        ws.on('error', () => undefined);
        resolve(new VertoConnection(ws));
      });
      ws.once('unexpected-response', (_req, res) => fail(`HTTP ${res.statusCode} instead of a WebSocket upgrade`));
      ws.once('error', (error: Error & { code?: string }) => fail(describe(error)));
    });
  }

  /** Sends a request and resolves with its reply; rejects after `timeoutMs` or when the socket closes. */
  call(method: string, params: JsonObject, timeoutMs: number): Promise<RpcReply> {
    const id = nextId();
    return new Promise((resolve, reject) => {
      const done = (): void => {
        clearTimeout(timer);
        this.replies.delete(id);
        this.ws.off('close', onClose);
      };
      const onClose = (code: number): void => {
        done();
        reject(new Error(`the server closed the socket (${code}) before answering ${method}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.replies.set(id, (reply) => {
        done();
        resolve(reply);
      });
      this.ws.once('close', onClose);
      this.ws.send(encodeRequest(id, method, params));
    });
  }

  /** The first server request (already received or still to come) matching `predicate`, or null after `timeoutMs`. */
  waitFor(predicate: (request: ServerRequest) => boolean, timeoutMs: number): Promise<ServerRequest | null> {
    return new Promise((resolve) => {
      const check = (): boolean => {
        const found = this.requests.find(predicate);
        if (found === undefined) return false;
        finish();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        resolve(null);
      }, timeoutMs);
      const wake = (): void => void check();
      const finish = (): void => {
        clearTimeout(timer);
        this.wakers = this.wakers.filter((w) => w !== wake);
      };
      if (!check()) this.wakers.push(wake);
    });
  }

  close(): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
  }
}
