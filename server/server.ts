import { existsSync, readFileSync } from 'node:fs';
import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import type { RelayPolicy } from './chat-relay';
import { CredentialStore } from './credential-store';
import type { DirectoryViewOptions } from './directory-view';
import { createRequestHandler } from './http-routes';
import { consoleLogger, Logger } from './logger';
import { pageIceError, type PageIceOptions } from './page-ice';
import { createServerEvents, ServerEvents } from './server-events';
import type { UserDirectory } from './user-directory';
import { DevelopmentLimits, VertoHub, VertoTiming } from './verto-hub';

export interface ServerLimits extends DevelopmentLimits {
  /**
   * Largest inbound message in bytes (mod_verto: 999,999). A bigger one gets a close frame 1000 and the
   * TCP connection dropped at once, as mod_verto does; a client may see 1000 or 1006.
   */
  readonly maxFrameBytes: number;
}

export interface ServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
  /** The directory domain: user ids are `<id>@<domain>`. Default `localhost`. */
  readonly domain?: string;
  /**
   * The profile's `force-register-domain` (default true, as the shipped verto.conf.xml): any domain
   * part of a login is ignored and a bare id logs in. False: a login must be `id@<domain>`, and a
   * bare id gets -32001 "Missing or improper credentials".
   */
  readonly forceRegisterDomain?: boolean;
  /** Channels and credentials; pass the same store to a restarted server to keep them. */
  readonly store?: CredentialStore;
  /**
   * Where logins and the relay find users, when not in `store`: a URL directory (server/directory-url.ts)
   * makes this server one node of several sharing one directory; it then issues no pages.
   */
  readonly directory?: UserDirectory;
  /** Also answer mod_xml_curl lookups from `store` at `POST /freeswitch/directory/`, as Django's view (off unless given). */
  readonly directoryView?: Omit<DirectoryViewOptions, 'store' | 'domain'>;
  /** The frame cap, and limits FreeSWITCH does not have (development only, off unless given). */
  readonly limits?: Partial<ServerLimits>;
  /** Server `verto.ping` after this many ms without inbound frames. Default 30 000. */
  readonly serverPingMs?: number;
  /** mod_verto's internal delays (clientReady, event flush, close after punt). */
  readonly timing?: Partial<Omit<VertoTiming, 'serverPingMs'>>;
  /** The relay hook: policy (default `same-channel`), base delay (default 45 ms) and random extra delay (reorders). */
  readonly relay?: { readonly policy?: RelayPolicy; readonly delayMs?: number; readonly jitterMs?: number };
  readonly logger?: Logger;
  /** Served under /static; default `dist/` (the bundle) then `static/`. */
  readonly staticDirs?: readonly string[];
  /** The channel page template; default `static/channel.html`. */
  readonly templatePath?: string;
  /** What the pages get for ICE: none by default (loopback and LAN calls need none). */
  readonly ice?: PageIceOptions;
}

export interface RunningServer {
  /** http://host:port */
  readonly url: string;
  /** ws://host:port/verto (any path under /verto/ works too, as mod_verto ignores the path) */
  readonly vertoUrl: string;
  readonly port: number;
  readonly store: CredentialStore;
  readonly events: ServerEvents;
  /** Requests that carried this login id while authenticating (e2e counts reconnect attempts with it). */
  loginAttempts(login: string): number;
  /**
   * Stops listening and drops every socket without a close frame (clients see 1006), as a FreeSWITCH
   * shutdown does; resolves once the port is free (idempotent).
   */
  close(): Promise<void>;
}

export const DEFAULT_LIMITS: ServerLimits = { maxFrameBytes: 999_999 };

/** ws's own guard, far above any frame cap: ws would close a bigger message with 1009 before we see it. */
const WS_MAX_PAYLOAD = 64 * 1024 * 1024;

/**
 * The upgrade paths the verto endpoint takes: `/verto`, and any path below it (the pages' `/verto/<channel>`).
 * mod_verto takes an upgrade on any path (libks ws_server_handshake keeps the request target and
 * client_run never reads it); here the rest of the port serves pages, so only this prefix.
 */
export const isVertoPath = (pathname: string): boolean => pathname === '/verto' || pathname.startsWith('/verto/');

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
  const ice = options.ice ?? {};
  const iceError = pageIceError(ice);
  if (iceError !== null) throw new Error(`invalid ICE options: ${iceError}`);
  const template = readFileSync(options.templatePath ?? join(root, 'static', 'channel.html'), 'utf8');

  const hub = new VertoHub({
    domain,
    forceRegisterDomain: options.forceRegisterDomain ?? true,
    directory: options.directory ?? store,
    logger,
    events,
    timing: { clientReadyMs: 100, eventDelayMs: 40, closeAfterMs: 50, ...options.timing, serverPingMs: options.serverPingMs ?? 30_000 },
    relay: { policy: 'same-channel', delayMs: 45, jitterMs: 0, ...options.relay },
    limits: { rateLimit: limits.rateLimit, maxClientsPerChannel: limits.maxClientsPerChannel },
  });

  const http = createServer(
    createRequestHandler({
      store,
      template,
      staticDirs: options.staticDirs ?? [join(root, 'dist'), join(root, 'static')],
      defaultHost: host,
      domain,
      logger,
      ice,
      pages: options.directory === undefined,
      directoryView: options.directoryView,
    }),
  );
  const wss = new WebSocketServer({ noServer: true, maxPayload: Math.max(WS_MAX_PAYLOAD, limits.maxFrameBytes + 1) });

  http.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://placeholder').pathname;
    if (!isVertoPath(path)) {
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
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (bytes.length > limits.maxFrameBytes) {
        // mod_verto (libks) answers with a close frame 1000 and closes the TCP connection without waiting.
        logger.info(`[${session.label}] frame of ${bytes.length} bytes over ${limits.maxFrameBytes}; closing 1000 and dropping`);
        events.emit('limit', { client: session.label, limit: 'frame-size' });
        ws.close(1000);
        ws.terminate();
        return;
      }
      // mod_verto reads text; a binary frame is taken as text too.
      if (isBinary) logger.debug(`[${session.label}] binary frame read as text`);
      session.onText(bytes.toString('utf8'));
    });
    ws.on('error', (error: Error) => logger.info(`[${session.label}] socket error: ${error.message}`));
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
    // Stop listening first, then refuse upgrades under way (ws answers 503): a page that retries at
    // once is refused instead of joining after the sockets were dropped.
    const httpClosed = new Promise<void>((resolve, reject) => http.close((error) => (error ? reject(error) : resolve())));
    const wssClosed = new Promise<void>((resolve) => wss.close(() => resolve()));
    for (const ws of wss.clients) ws.terminate();
    http.closeAllConnections();
    await wssClosed;
    await httpClosed;
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
