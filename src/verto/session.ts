import {
  catchError,
  combineLatest,
  concat,
  defer,
  EMPTY,
  filter,
  from,
  ignoreElements,
  map,
  merge,
  mergeMap,
  Observable,
  of,
  share,
  shareReplay,
  startWith,
  switchMap,
  take,
  tap,
  throwError,
  timer,
} from 'rxjs';
import type { Logger } from '../log';
import type { ClientStatus, JsonObject, PeerEnvelope, Presence, PresenceEvent, VertoClientOptions } from './client-types';
import { heartbeatDelay } from './backoff';
import { encodeBody } from './codec';
import { ConnectTimeoutError, LoginFailedError, PuntedError, RpcError, RpcTimeoutError, SessionInUseError } from './errors';
import { bareId, MSG_ID_FIELD, readPeerMessage, readPresenceEvent } from './inbound';
import { classifyOwnLogin, formatPage, type PageInstance } from './page-instance';
import { decodeFrame, encodeRequest, type InboundFrame, type RpcReply, type ServerRequest } from './jsonrpc';
import type { Outbox } from './outbox';
import type { RecentIds } from './recent-ids';
import { createRpc, firstWithin, type Rpc } from './rpc';
import type { SocketEvent } from './socket';

/** What one connection contributes to the client's public streams. */
export type SessionEvent =
  | { readonly kind: 'presence'; readonly event: PresenceEvent }
  | { readonly kind: 'peer'; readonly envelope: PeerEnvelope }
  | { readonly kind: 'subscribed' };

export interface SessionTimings {
  /** How long a socket may take to open; then it counts as a failed attempt. */
  readonly connectTimeoutMs: number;
  /** Time limit of an ordinary request, and of login (a login that never answers fails the connection). */
  readonly requestTimeoutMs: number;
  /** How long after the login reply `verto.clientReady` may take. */
  readonly clientReadyTimeoutMs: number;
  /** How long a keepalive `verto.ping` may wait for any reply before the socket counts as dead. */
  readonly pingTimeoutMs: number;
  /** Queued peer messages older than this are dropped on reconnect. */
  readonly outboxMaxAgeMs: number;
}

export interface SessionDeps {
  readonly options: VertoClientOptions;
  readonly timings: SessionTimings;
  readonly logger: Logger;
  readonly random: () => number;
  readonly now: () => number;
  readonly nextId: () => string;
  readonly sessid: () => string;
  /** This page, announced with every broadcast: of two live pages with one login the newer one wins. */
  readonly page: PageInstance;
  readonly setStatus: (status: ClientStatus) => void;
  /** Called once the server accepted our credentials: the reconnect schedule starts over. */
  readonly onLoggedIn: () => void;
  readonly latestPresence: () => Presence | undefined;
  readonly presenceChanged$: Observable<void>;
  readonly outbox: Outbox;
  readonly outboxChanged$: Observable<void>;
  /** Peer message ids heard lately (across connections): a re-sent message is delivered once. */
  readonly recentIds: RecentIds;
  /** Whether a call is in progress: the heartbeat is short then. */
  readonly inCall: () => boolean;
  readonly inCallChanged$: Observable<unknown>;
  /** Emits when the socket should be checked at once (the page became visible, the browser came online). */
  readonly checkNow$: Observable<unknown>;
  /** Emits once on disconnect(): say `gone` while the socket is still open. */
  readonly leaving$: Observable<void>;
}

const isOpen = (e: SocketEvent): e is Extract<SocketEvent, { kind: 'open' }> => e.kind === 'open';
const isFrame = (e: SocketEvent): e is Extract<SocketEvent, { kind: 'frame' }> => e.kind === 'frame';
const isReply = (f: InboundFrame): f is RpcReply => f.kind === 'reply';
const isRequest = (f: InboundFrame): f is ServerRequest => f.kind === 'request';

/**
 * One connection's whole life: login on open, subscribe on `verto.clientReady`, presence, peer
 * messages, keepalive. Errors end the connection (the client's retry decides what happens next):
 * SocketClosedError / RpcTimeoutError / SessionInUseError are retryable, LoginFailedError and
 * PuntedError are terminal.
 */
export function session$(socketEvents$: Observable<SocketEvent>, deps: SessionDeps): Observable<SessionEvent> {
  return defer(() => {
    const events$ = socketEvents$.pipe(share());
    const frames$ = events$.pipe(
      filter(isFrame),
      mergeMap(({ text }) => {
        const decoded = decodeFrame(text);
        if (decoded.ok) return of(decoded.value);
        deps.logger.debug(`dropped frame: ${decoded.error}`, text.slice(0, 200));
        return EMPTY;
      }),
      share(),
    );
    return events$.pipe(
      filter(isOpen),
      take(1),
      firstWithin(deps.timings.connectTimeoutMs, () => new ConnectTimeoutError(deps.timings.connectTimeoutMs)),
      // Socket errors still arrive: everything below listens to frames$, which shares the socket.
      switchMap((open) => online(open.send, frames$, deps)),
    );
  });
}

function online(send: (text: string) => void, frames$: Observable<InboundFrame>, deps: SessionDeps): Observable<SessionEvent> {
  const { options, timings, logger } = deps;
  const replies$ = frames$.pipe(filter(isReply));
  const requests$ = frames$.pipe(filter(isRequest), share());
  const rpc = createRpc({ send, replies$, nextId: deps.nextId, defaultTimeoutMs: timings.requestTimeoutMs });
  const withSession = (params: JsonObject): JsonObject => ({ ...params, sessid: deps.sessid() });

  const login$ = defer(() => {
    deps.setStatus({ kind: 'logging-in' });
    return rpc.request('login', withSession({ login: options.login, passwd: options.password }));
  }).pipe(
    catchError((error: unknown) => throwError(() => loginError(error))),
    tap(() => {
      logger.info('logged in');
      deps.onLoggedIn();
    }),
    // Two consumers (the channel chain and the after-login work); one request, result replayed.
    shareReplay({ bufferSize: 1, refCount: true }),
  );
  // Listen for clientReady from the start: its arrival relative to other replies is not fixed.
  const clientReady$ = requests$.pipe(
    filter((r) => r.method === 'verto.clientReady'),
    take(1),
    firstWithin(timings.requestTimeoutMs + timings.clientReadyTimeoutMs, () => new RpcTimeoutError('verto.clientReady')),
  );

  // Both emit once and complete: combineLatest (in the bundle anyway) then acts as forkJoin.
  const channel$ = combineLatest([login$, clientReady$]).pipe(
    switchMap(() => rpc.request('verto.subscribe', withSession({ eventChannel: options.channelId }))),
    catchError((error: unknown) => throwError(() => (error instanceof RpcError ? new LoginFailedError(`not allowed in this channel`) : error))),
    switchMap(() => {
      logger.info(`subscribed to ${options.channelId}`);
      deps.setStatus({ kind: 'online' });
      return concat(
        of<SessionEvent>({ kind: 'subscribed' }),
        defer(() => publishArrival(rpc, deps)),
        // Later presence changes go out as they come; `ready` has told everyone we are here.
        deps.presenceChanged$.pipe(
          mergeMap(() => {
            const presence = deps.latestPresence();
            return presence ? broadcast(rpc, deps, presence) : EMPTY;
          }),
        ),
      );
    }),
  );

  const inbound$ = requests$.pipe(mergeMap((request) => handleRequest(request, deps, rpc)));

  const afterLogin$ = login$.pipe(
    switchMap(() =>
      merge(
        keepalive$(rpc, frames$, deps),
        drainOutbox$(rpc, deps),
        deps.leaving$.pipe(
          take(1),
          // Sent synchronously: the socket closes right after, on page hide there is no time to wait.
          tap(() => send(encodeRequest(deps.nextId(), 'verto.broadcast', broadcastParams(deps, { status: 'gone', name: deps.latestPresence()?.name })))),
        ),
      ).pipe(ignoreElements()),
    ),
  );

  return merge(inbound$, afterLogin$, channel$);
}

function loginError(error: unknown): unknown {
  if (!(error instanceof RpcError)) return error;
  if (error.message === 'Session in use') return new SessionInUseError();
  return new LoginFailedError(error.message);
}

function handleRequest(request: ServerRequest, deps: SessionDeps, rpc: Rpc): Observable<SessionEvent> {
  switch (request.method) {
    case 'verto.event': {
      const decoded = readPresenceEvent(request.params, deps.options.channelId);
      if (!decoded.ok) {
        deps.logger.debug(`dropped verto.event: ${decoded.error}`);
        return EMPTY;
      }
      if (decoded.value.from === bareId(deps.options.login)) return ownLogin(decoded.value.page, deps, rpc);
      return of({ kind: 'presence', event: decoded.value });
    }
    case 'verto.info': {
      const decoded = readPeerMessage(request.params, bareId(deps.options.login));
      if (!decoded.ok) {
        deps.logger.debug(`dropped verto.info: ${decoded.error}`);
        return EMPTY;
      }
      const { envelope, id } = decoded.value;
      if (id !== undefined && deps.recentIds.repeated(envelope.from, id)) {
        deps.logger.debug(`dropped a repeated message ${id} from ${envelope.from}`);
        return EMPTY;
      }
      return of({ kind: 'peer', envelope });
    }
    case 'verto.punt':
      deps.logger.warn('punted: this client signed in elsewhere');
      return throwError(() => new PuntedError());
    case 'verto.clientReady':
    case 'verto.ping': // liveness only; the keepalive timer restarts on every frame
      return EMPTY;
    default:
      deps.logger.debug(`ignored server request ${request.method}`);
      return EMPTY;
  }
}

/**
 * Presence carrying our own login: the server's echo of our broadcast (localBroadcast includes the
 * sender), or another live page with the same credentials, which stock FreeSWITCH allows. The newer
 * page wins: we stop when we are the older one (terminal, so no retry takes the login back), and we
 * re-announce ourselves when we are the newer one, in case the older page missed our `ready`.
 */
function ownLogin(page: PageInstance | undefined, deps: SessionDeps, rpc: Rpc): Observable<SessionEvent> {
  switch (classifyOwnLogin(deps.page, page)) {
    case 'echo':
      return EMPTY;
    case 'superseded':
      deps.logger.warn('a newer page signed in with these credentials: this one stops');
      return throwError(() => new PuntedError());
    case 'older-page':
      deps.logger.info('an older page with these credentials is still online: announcing this one');
      return broadcast(rpc, deps, deps.latestPresence() ?? { status: 'available' });
  }
}

function broadcastParams(deps: SessionDeps, presence: Presence): JsonObject {
  const payload: JsonObject = {
    peerStatus: presence.status,
    ...(presence.name !== undefined ? { peerName: presence.name } : {}),
    peerPage: formatPage(deps.page),
  };
  // Without localBroadcast, FreeSWITCH delivers the event to no other verto client (docs/protocol.md#broadcast).
  return { sessid: deps.sessid(), localBroadcast: true, eventChannel: deps.options.channelId, eventData: encodeBody(payload) };
}

function broadcast(rpc: Rpc, deps: SessionDeps, presence: Presence): Observable<never> {
  return rpc.request('verto.broadcast', broadcastParams(deps, presence)).pipe(
    tap((result) => {
      // verto reports broadcast failures inside `result`, with a code.
      if (typeof result.code === 'number') deps.logger.warn(`presence ${presence.status} refused: ${JSON.stringify(result.message)}`);
    }),
    ignoreElements(),
    catchError((error: unknown) => failedRequest(deps, 'verto.broadcast', error)),
  );
}

/** `ready` after every subscribe; a client that was busy before the reconnect says so again right after. */
function publishArrival(rpc: Rpc, deps: SessionDeps): Observable<never> {
  const latest = deps.latestPresence();
  const ready = broadcast(rpc, deps, { status: 'ready', name: latest?.name });
  return latest?.status === 'unavailable' ? merge(ready, broadcast(rpc, deps, latest)) : ready;
}

/**
 * Sends every queued message this connection has not sent yet (at login: also those a previous
 * socket took without answering). The server's reply, even an error, settles an item; a timeout ends
 * the connection with the item still queued, so the next connection sends it again.
 */
function drainOutbox$(rpc: Rpc, deps: SessionDeps): Observable<never> {
  const connection = {};
  return deps.outboxChanged$.pipe(
    startWith(undefined),
    mergeMap(() => {
      const { fresh, stale } = deps.outbox.take(deps.now(), connection);
      if (stale > 0) deps.logger.debug(`dropped ${stale} stale queued message(s)`);
      return from(fresh);
    }),
    mergeMap((item) =>
      rpc.request('verto.info', { sessid: deps.sessid(), msg: { to: item.to, body: encodeBody({ ...item.message, [MSG_ID_FIELD]: item.id }) } }).pipe(
        tap({ next: () => deps.outbox.ack(item), error: (error: unknown) => error instanceof RpcError && deps.outbox.ack(item) }),
        ignoreElements(),
        catchError((error: unknown) => failedRequest(deps, 'verto.info', error)),
      ),
    ),
  );
}

/** A failed fire-and-forget request is logged; a timeout means the socket is dead, so it ends the connection. */
function failedRequest(deps: SessionDeps, method: string, error: unknown): Observable<never> {
  if (error instanceof RpcTimeoutError) return throwError(() => error);
  deps.logger.warn(`${method} failed: ${error instanceof Error ? error.message : String(error)}`);
  return EMPTY;
}

/**
 * Heartbeat: pings after a quiet spell (src/verto/backoff.ts heartbeatDelay: short in a call or
 * while a peer message waits for its reply, longer when idle), and at once on `checkNow$`. Every
 * inbound frame proves the socket alive and starts the wait over, as does a change of situation.
 * Any reply, result or error (older servers refuse `verto.ping` with -32601), counts; no reply in
 * time means a half-open socket, and the connection ends so retry can replace it.
 */
function keepalive$(rpc: Rpc, frames$: Observable<InboundFrame>, deps: SessionDeps): Observable<never> {
  const ping$ = rpc.request('verto.ping', {}, deps.timings.pingTimeoutMs).pipe(
    catchError((error: unknown) => (error instanceof RpcError ? EMPTY : throwError(() => error))),
    ignoreElements(),
  );
  const active = () => deps.inCall() || deps.outbox.size > 0;
  const wait$ = defer(() => timer(heartbeatDelay(active(), deps.random))).pipe(switchMap(() => ping$));
  return merge(frames$.pipe(map(() => false)), deps.inCallChanged$.pipe(map(() => false)), deps.outboxChanged$.pipe(map(() => false)), deps.checkNow$.pipe(map(() => true))).pipe(
    startWith(false),
    switchMap((now) => (now ? ping$ : wait$)),
  );
}
