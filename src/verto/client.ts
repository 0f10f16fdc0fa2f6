import {
  asyncScheduler,
  BehaviorSubject,
  catchError,
  connectable,
  defer,
  distinctUntilChanged,
  EMPTY,
  filter,
  map,
  merge,
  Observable,
  race,
  retry,
  Subject,
  take,
  takeUntil,
  throwError,
  timer,
  type Subscription,
} from 'rxjs';
import { fromEvent } from '../dom-event';
import { sameJson } from '../json';
import { consoleLogger, type Logger } from '../log';
import { uuidV4 } from '../uuid';
import type { ClientStatus, JsonObject, PeerEnvelope, Presence, PresenceEvent, VertoClient, VertoClientOptions } from './client-types';
import { reconnectDelay } from './backoff';
import { describeError, isTerminal, LoginFailedError, PuntedError, SessionInUseError } from './errors';
import { Outbox } from './outbox';
import { RecentIds } from './recent-ids';
import { newestPagesOnly, type PageInstance } from './page-instance';
import { session$, type SessionEvent, type SessionTimings } from './session';
import { socket$, type WebSocketCtor } from './socket';

export interface VertoClientDeps {
  readonly WebSocketCtor: WebSocketCtor;
  /** Where the session id lives: per tab (sessionStorage), so a reload resumes and two tabs never collide. */
  readonly storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  readonly random: () => number;
  readonly uuid: () => string;
  readonly logger: Logger;
  /** The browser came back online: retry at once instead of waiting out the backoff. */
  readonly online$: Observable<unknown>;
  /** The page became visible: check the socket at once. */
  readonly visible$: Observable<unknown>;
  readonly timings: SessionTimings;
}

/**
 * Connect: a WebSocket open is TCP + TLS + HTTP upgrade, about 2 s on a slow mobile link; after an
 * outage the kernel re-sends a SYN after 1 s and 3 s, so 3 s costs no more than a longer limit and
 * a socket opened into a dead network is replaced within seconds. Ping: a live server answers within
 * a round trip; 3 s keeps "the socket is dead" within 4–6 + 3 s in a call and 8–10 + 3 s idle.
 */
export const DEFAULT_TIMINGS: SessionTimings = {
  connectTimeoutMs: 3_000,
  requestTimeoutMs: 10_000,
  clientReadyTimeoutMs: 5_000,
  pingTimeoutMs: 3_000,
  outboxMaxAgeMs: 20_000,
};
const OUTBOX_MAX_ITEMS = 200;
// Enough to cover a burst of re-sent ICE candidates from each of a channel's peers.
const RECENT_IDS_PER_SENDER = 256;
const RECENT_SENDERS = 64;

function browserDeps(): VertoClientDeps {
  return {
    WebSocketCtor: WebSocket,
    storage: safeSessionStorage(),
    random: Math.random,
    uuid: () => uuidV4(crypto),
    logger: consoleLogger('[verto]'),
    online$: fromEvent(window, 'online'),
    visible$: fromEvent(document, 'visibilitychange').pipe(filter(() => document.visibilityState === 'visible')),
    timings: DEFAULT_TIMINGS,
  };
}

function safeSessionStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // blocked storage: a fresh session id per page load still works
  }
}

/**
 * The channel's verto client: reconnects with backoff, logs in on every connection, subscribes on
 * `verto.clientReady`, publishes presence, and carries peer messages as base64 `verto.info` msgs.
 */
export function createVertoClient(options: VertoClientOptions, overrides: Partial<VertoClientDeps> = {}): VertoClient {
  const deps: VertoClientDeps = { ...browserDeps(), ...overrides };
  const { logger } = deps;
  const now = () => asyncScheduler.now();

  const storageKey = `verto-peer:sessid:${options.channelId}`;
  const newSessid = () => {
    const id = deps.uuid();
    deps.storage?.setItem(storageKey, id);
    return id;
  };
  let sessid = deps.storage?.getItem(storageKey) ?? newSessid();
  const page: PageInstance = { since: now(), id: deps.uuid() };
  let requestCounter = 0;
  let failures = 0; // since the last successful login: drives the backoff schedule
  let outageSince = 0; // when the first of those failures happened

  const status = new BehaviorSubject<ClientStatus>({ kind: 'connecting', attempt: 1 });
  const presenceChanged = new Subject<void>();
  const outboxChanged = new Subject<void>();
  const leaving = new Subject<void>();
  const stop = new Subject<void>();
  const outbox = new Outbox(deps.timings.outboxMaxAgeMs, OUTBOX_MAX_ITEMS);
  const recentIds = new RecentIds(RECENT_IDS_PER_SENDER, RECENT_SENDERS);
  let messageCounter = 0;
  let inCall = false;
  const inCallChanged = new Subject<void>();
  const checkNow$ = merge(deps.visible$, deps.online$);
  let latestPresence: Presence | undefined;
  let lastStatus: ClientStatus = { kind: 'connecting', attempt: 1 };
  let disconnected = false;
  const setStatus = (s: ClientStatus) => {
    lastStatus = s;
    status.next(s);
  };

  const loop$: Observable<SessionEvent> = defer(() => {
    setStatus({ kind: 'connecting', attempt: failures + 1 });
    return session$(socket$(options.url, deps.WebSocketCtor), {
      options,
      timings: deps.timings,
      logger,
      random: deps.random,
      now,
      nextId: () => `vp-${++requestCounter}`,
      sessid: () => sessid,
      page,
      setStatus,
      onLoggedIn: () => {
        failures = 0;
      },
      latestPresence: () => latestPresence,
      presenceChanged$: presenceChanged,
      outbox,
      outboxChanged$: outboxChanged,
      recentIds,
      inCall: () => inCall,
      inCallChanged$: inCallChanged,
      checkNow$,
      leaving$: leaving,
    });
  }).pipe(
    retry({
      delay: (error: unknown) => {
        if (isTerminal(error)) return throwError(() => error);
        if (error instanceof SessionInUseError) sessid = newSessid();
        failures += 1;
        if (failures === 1) outageSince = now();
        const delayMs = reconnectDelay(failures, now() - outageSince, deps.random);
        const reason = describeError(error);
        logger.info(`reconnecting in ${delayMs} ms (${reason})`);
        setStatus({ kind: 'reconnecting', attempt: failures, retryAt: now() + delayMs, reason });
        return race(timer(delayMs), deps.online$.pipe(take(1)));
      },
    }),
    catchError((error: unknown) => {
      setStatus(terminalStatus(error));
      return EMPTY;
    }),
    takeUntil(stop),
  );
  const events = connectable(loop$, { connector: () => new Subject<SessionEvent>(), resetOnDisconnect: false });
  let running: Subscription | undefined;

  return {
    status$: status.pipe(distinctUntilChanged(sameJson)),
    presence$: events.pipe(
      filter((e): e is Extract<SessionEvent, { kind: 'presence' }> => e.kind === 'presence'),
      map((e): PresenceEvent => e.event),
      // Of two pages with one login, only the newer one's presence: the older one is stopping.
      newestPagesOnly(),
    ),
    peerMessages$: events.pipe(
      filter((e): e is Extract<SessionEvent, { kind: 'peer' }> => e.kind === 'peer'),
      map((e): PeerEnvelope => e.envelope),
    ),
    subscribed$: events.pipe(
      filter((e) => e.kind === 'subscribed'),
      map(() => undefined),
    ),
    connect() {
      if (running || disconnected) return;
      running = events.connect();
    },
    publishPresence(presence: Presence) {
      latestPresence = presence;
      presenceChanged.next();
    },
    send(to: string, message: JsonObject) {
      outbox.push({ id: `${page.id}.${++messageCounter}`, to, message, queuedAt: now() });
      outboxChanged.next();
    },
    setInCall(value: boolean) {
      if (value === inCall) return;
      inCall = value;
      inCallChanged.next();
    },
    disconnect() {
      if (disconnected) return;
      disconnected = true;
      leaving.next();
      stop.next();
      running?.unsubscribe();
      // A terminal status says more than "closed"; keep it on screen.
      if (lastStatus.kind !== 'login-failed' && lastStatus.kind !== 'punted') setStatus({ kind: 'closed' });
      status.complete();
      for (const s of [presenceChanged, outboxChanged, inCallChanged, leaving, stop]) s.complete();
    },
  };
}

function terminalStatus(error: unknown): ClientStatus {
  if (error instanceof PuntedError) return { kind: 'punted' };
  if (error instanceof LoginFailedError) return { kind: 'login-failed', message: error.message };
  return { kind: 'login-failed', message: describeError(error) };
}
