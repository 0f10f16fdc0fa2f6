import { existsSync, readFileSync } from 'node:fs';
import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import type { RelayPolicy } from './chat-relay';
import { CredentialStore } from './credential-store';
import { createRequestHandler } from './http-routes';
import { consoleLogger, Logger } from './logger';
import { createServerEvents, ServerEvents } from './server-events';
import { VertoHub, VertoTiming } from './verto-hub';

export interface ServerLimits {
  /** Largest inbound frame in bytes; a bigger one closes the socket with 1009 (mod_verto: 1,000,000). */
  readonly maxFrameBytes: number;
  /** Token bucket per connection; running dry closes the socket with 1008. */
  readonly messageBurst: number;
  readonly messagesPerSecond: number;
  /** Distinct clients logged in per channel; one more gets -32001 `Channel full`. */
  readonly maxClientsPerChannel: number;
}

export interface ServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
  /** `force-register-domain`: user ids are `<login>@<domain>`. Default `localhost`. */
  readonly domain?: string;
  /** Channels and credentials; pass the same store to a restarted server to keep them. */
  readonly store?: CredentialStore;
  readonly limits?: Partial<ServerLimits>;
  /** Server `verto.ping` after this many ms without inbound frames. Default 30 000. */
  readonly serverPingMs?: number;
  /** mod_verto's internal delays (clientReady, event flush, close after punt). */
  readonly timing?: Partial<Omit<VertoTiming, 'serverPingMs'>>;
  /** The relay hook: policy (default `same-channel`), base delay (default 45 ms) and random extra delay (reorders). */
  readonly relay?: { readonly policy?: RelayPolicy; readonly delayMs?: number; readonly jitterMs?: number };
  /** `credentials` (default): a new login punts older connections of that user; `sessid`: stock FreeSWITCH. */
  readonly duplicateLogin?: 'credentials' | 'sessid';
  readonly logger?: Logger;
  /** Served under /static; default `dist/` (the bundle) then `static/`. */
  readonly staticDirs?: readonly string[];
  /** The channel page template; default `static/channel.html`. */
  readonly templatePath?: string;
}

export interface RunningServer {
  /** http://host:port */
  readonly url: string;
  /** ws://host:port/verto */
  readonly vertoUrl: string;
  readonly port: number;
  readonly store: CredentialStore;
  readonly events: ServerEvents;
  /** Requests that carried this login id while authenticating (e2e counts reconnect attempts with it). */
  loginAttempts(login: string): number;
  /** Closes every socket with 1001 and resolves once the port is free (idempotent). */
  close(): Promise<void>;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxFrameBytes: 1_000_000,
  messageBurst: 200,
  messagesPerSecond: 100,
  maxClientsPerChannel: 50,
};

/** The repository root: the nearest directory above this file with a package.json (works from server/ and build/server/). */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** Starts the page server and the verto endpoint (`/verto`) on one port. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const root = projectRoot();
  const host = options.host ?? '127.0.0.1';
  const domain = options.domain ?? 'localhost';
  const store = options.store ?? new CredentialStore();
  const logger = options.logger ?? consoleLogger;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  const events = createServerEvents();
  const template = readFileSync(options.templatePath ?? join(root, 'static', 'channel.html'), 'utf8');

  const hub = new VertoHub({
    domain,
    store,
    logger,
    events,
    timing: { clientReadyMs: 100, eventDelayMs: 40, closeAfterMs: 50, ...options.timing, serverPingMs: options.serverPingMs ?? 30_000 },
    relay: { policy: 'same-channel', delayMs: 45, jitterMs: 0, ...options.relay },
    duplicateLogin: options.duplicateLogin ?? 'credentials',
    maxClientsPerChannel: limits.maxClientsPerChannel,
    rateLimit: { burst: limits.messageBurst, perSecond: limits.messagesPerSecond },
  });

  const http = createServer(
    createRequestHandler({
      store,
      template,
      staticDirs: options.staticDirs ?? [join(root, 'dist'), join(root, 'static')],
      defaultHost: host,
      logger,
    }),
  );
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxFrameBytes });

  http.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://placeholder').pathname;
    if (path !== '/verto') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    const session = hub.connect(
      {
        get isOpen() {
          return ws.readyState === WebSocket.OPEN;
        },
        send: (text) => ws.send(text),
        close: (code, reason) => ws.close(code, reason),
      },
      req.socket.remoteAddress ?? 'unknown',
    );
    ws.on('message', (data, isBinary) => {
      // mod_verto reads text; a binary frame is taken as text too.
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      if (isBinary) logger.debug(`[${session.label}] binary frame read as text`);
      session.onText(text);
    });
    ws.on('error', (error: Error & { code?: string }) => {
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        logger.info(`[${session.label}] limit hit: frame over ${limits.maxFrameBytes} bytes; closing 1009`);
        events.emit('limit', { client: session.label, limit: 'frame-size' });
      } else {
        logger.info(`[${session.label}] socket error: ${error.message}`);
      }
    });
    ws.on('close', (code) => session.onClose(code));
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 8080, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  const shutDown = async (): Promise<void> => {
    hub.shutdown();
    // Refuse upgrades first (ws answers 503): a page retrying at once would otherwise join after this
    // snapshot, and wss.close would wait for it forever.
    const wssClosed = new Promise<void>((resolve) => wss.close(() => resolve()));
    const sockets = [...wss.clients];
    for (const ws of sockets) ws.close(1001, 'server shutting down');
    // A peer that never answers the close frame is cut after a short grace period.
    const grace = setTimeout(() => sockets.forEach((ws) => ws.terminate()), 1000);
    await Promise.all(
      sockets.map((ws) => (ws.readyState === WebSocket.CLOSED ? Promise.resolve() : new Promise<void>((resolve) => ws.once('close', () => resolve())))),
    );
    clearTimeout(grace);
    await wssClosed;
    await new Promise<void>((resolve, reject) => {
      http.close((error) => (error ? reject(error) : resolve()));
      http.closeAllConnections();
    });
    logger.info('[server] stopped');
  };
  let closing: Promise<void> | undefined;
  // Idempotent: a test's afterEach may close a server the test already closed.
  const close = (): Promise<void> => (closing ??= shutDown());

  logger.info(`[server] listening on http://${urlHost}:${port}/ (verto at /verto, domain ${domain})`);
  return {
    url: `http://${urlHost}:${port}`,
    vertoUrl: `ws://${urlHost}:${port}/verto`,
    port,
    store,
    events,
    loginAttempts: (login) => hub.loginAttempts(login),
    close,
  };
}
