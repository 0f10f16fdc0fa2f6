import { randomUUID } from 'node:crypto';
import type { CredentialStore, DirectoryUser } from './credential-store';
import { decideRelay, RelayPolicy } from './chat-relay';
import { envelopeError, ERR, isJsonObject, JsonObject, JsonValue, Outcome, reply, request } from './json-rpc';
import type { Logger } from './logger';
import { isPermitted } from './permission-list';
import { RateLimit, RateLimiter } from './rate-limiter';
import type { ServerEvents } from './server-events';

/** The socket side the hub needs; `server.ts` adapts a `ws` WebSocket to it. */
export interface VertoSocket {
  readonly isOpen: boolean;
  send(text: string): void;
  close(code: number, reason: string): void;
}

/** Delays that mirror mod_verto 1.11.1 as captured (all in ms). */
export interface VertoTiming {
  /** `verto.clientReady` after the first successful auth (captured: ~100). */
  readonly clientReadyMs: number;
  /** `verto.event` copies are queued and flushed when the socket idles (captured: 35–50). */
  readonly eventDelayMs: number;
  /** Close (1000) after `verto.punt` or `Session in use` (captured: ~50). */
  readonly closeAfterMs: number;
  /** Server `verto.ping` after this long without inbound frames (captured: 30 000). */
  readonly serverPingMs: number;
}

export interface RelayOptions {
  readonly policy: RelayPolicy;
  /** Base delay of a relayed msg (captured: ~45). */
  readonly delayMs: number;
  /** Extra random delay in [0, jitterMs) per msg; non-zero values reorder back-to-back messages (protocol doc §8.5). */
  readonly jitterMs: number;
}

export interface HubOptions {
  readonly domain: string;
  readonly store: CredentialStore;
  readonly logger: Logger;
  readonly events: ServerEvents;
  readonly timing: VertoTiming;
  readonly relay: RelayOptions;
  /**
   * `credentials` (default, the design's rule): a new login of a user punts every older connection of that user.
   * `sessid`: stock FreeSWITCH, where only a reused sessid punts (fixture 06a).
   */
  readonly duplicateLogin: 'credentials' | 'sessid';
  readonly maxClientsPerChannel: number;
  readonly rateLimit: RateLimit;
}

interface Session {
  readonly tag: string;
  readonly socket: VertoSocket;
  readonly limiter: RateLimiter;
  /** Per subscribed channel, the next `eventSerno`. */
  readonly subscriptions: Map<string, number>;
  user?: DirectoryUser;
  sessid?: string;
  /** Punted, refused or over a limit: inbound frames are ignored until the socket is gone. */
  closing: boolean;
  pingTimer?: NodeJS.Timeout;
}

/** Inbound side of one connection, handed to the transport. */
export interface SessionHandle {
  onText(text: string): void;
  onClose(code: number): void;
  /** The client id once logged in, else a connection tag: the prefix of every log line. */
  readonly label: string;
}

type AuthedSession = Session & { user: DirectoryUser };
type Handler = (session: AuthedSession, params: JsonObject | undefined) => Outcome;

const isAuthed = (session: Session): session is AuthedSession => session.user !== undefined;

const nonEmpty = (v: JsonValue | undefined): v is string => typeof v === 'string' && v !== '';
const labelOf = (session: Session): string => session.user?.id ?? session.tag;

/**
 * mod_verto 1.11.1 plus the Lua MESSAGE relay, over abstract sockets: the auth gate, sessid binding,
 * punts, subscriptions, broadcasts, the msg relay and keepalive pings. Shapes follow shared/fixtures/verto.
 */
export class VertoHub {
  private connectionCount = 0;
  /** One counter for every server-originated request, as mod_verto's process-wide one. */
  private nextRequestId = 1;
  private readonly sessions = new Map<string, Session>();
  private readonly byUser = new Map<string, Set<Session>>();
  private readonly subscribers = new Map<string, Set<Session>>();
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly loginCounts = new Map<string, number>();
  private readonly handlers: Record<string, Handler> = {
    login: () => ({ result: { message: 'logged in' } }),
    'verto.ping': () => ({ result: { message: 'PONG' } }),
    echo: (_session, params) => (params ? { result: { ...params } } : { error: { message: 'Params data missing', code: -32002 } }),
    'verto.subscribe': (session, params) => this.subscribe(session, params),
    'verto.unsubscribe': (session, params) => this.unsubscribe(session, params),
    'verto.broadcast': (session, params) => this.broadcast(session, params),
    'verto.info': (session, params) => this.info(session, params),
  };

  constructor(private readonly options: HubOptions) {}

  /** How many requests carried this login id (bare or `id@domain`) while authenticating. */
  loginAttempts(login: string): number {
    return this.loginCounts.get(login.split('@')[0]) ?? 0;
  }

  connect(socket: VertoSocket, remote: string): SessionHandle {
    const session: Session = {
      tag: `conn-${++this.connectionCount}`,
      socket,
      limiter: new RateLimiter(this.options.rateLimit),
      subscriptions: new Map(),
      closing: false,
    };
    this.log(session, `connect from ${remote}`);
    this.options.events.emit('connect', { client: session.tag, remote });
    this.armPing(session);
    return {
      onText: (text) => this.onText(session, text),
      onClose: (code) => this.onClose(session, code),
      get label() {
        return labelOf(session);
      },
    };
  }

  /** Stops every timer (server shutdown); sockets are closed by the transport. */
  shutdown(): void {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    for (const session of this.sessions.values()) clearTimeout(session.pingTimer);
  }

  private onText(session: Session, text: string): void {
    if (session.closing) return;
    this.armPing(session);
    if (!session.limiter.take()) {
      this.log(session, 'limit hit: message rate; closing 1008');
      this.options.events.emit('limit', { client: labelOf(session), limit: 'rate' });
      this.drop(session);
      session.socket.close(1008, 'message rate limit exceeded');
      return;
    }
    // `#` frames are mod_verto's speed-test side protocol, never JSON-RPC.
    if (text.startsWith('#')) return this.debug(session, 'ignored # frame');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.debug(session, 'frame is not JSON');
      return this.write(session, envelopeError(null, ERR.invalidRequest));
    }
    if (Array.isArray(parsed)) {
      // Batch: one reply per element that produces one; mod_verto adds no sessid inside.
      const replies = parsed.map((item) => this.process(session, item, true)).filter((r): r is JsonObject => r !== undefined);
      if (replies.length > 0) this.write(session, replies);
      return;
    }
    const single = this.process(session, parsed, false);
    if (single) this.write(session, single);
  }

  private process(session: Session, message: unknown, inBatch: boolean): JsonObject | undefined {
    if (session.closing) return undefined;
    if (!isJsonObject(message)) return envelopeError(null, ERR.invalidMessage);
    const id = message.id ?? null;
    if (message.jsonrpc !== '2.0') return envelopeError(id, ERR.invalidMessage);
    // Replies to our own requests (verto.ping, verto.event…) are accepted and dropped.
    if ('result' in message || 'error' in message) return undefined;
    const method = typeof message.method === 'string' ? message.method : undefined;
    const params = isJsonObject(message.params) ? message.params : undefined;
    if (!session.user || method === 'login') {
      const refused = this.authenticate(session, message);
      if (refused) return reply(id, refused);
    }
    const handler = method !== undefined && Object.hasOwn(this.handlers, method) ? this.handlers[method] : undefined;
    if (!isAuthed(session) || !handler || !isPermitted([...session.user.methods, 'login'], method ?? '')) {
      this.debug(session, `refused method ${JSON.stringify(method ?? null)}`);
      return reply(id, { error: { ...ERR.invalidMethod } });
    }
    const outcome = handler(session, params);
    if ('error' in outcome) return reply(id, outcome);
    const result: JsonObject = { ...outcome.result };
    if (params?.echoParams === true) result.requestParams = structuredClone(params);
    if (!inBatch && session.sessid) {
      delete result.sessid;
      result.sessid = session.sessid;
    }
    return reply(id, { result });
  }

  /** The auth gate, run with this request's own params; returns the refusal, or undefined once logged in. */
  private authenticate(session: Session, message: JsonObject): Outcome | undefined {
    if (message.params === undefined) return { error: { ...ERR.missingParams } };
    const params = isJsonObject(message.params) ? message.params : {};
    if (!nonEmpty(params.login)) return { error: { ...ERR.authRequired } };
    const loginId = params.login.split('@')[0];
    this.loginCounts.set(loginId, (this.loginCounts.get(loginId) ?? 0) + 1);
    const refuse = (error: { code: number; message: string }): Outcome => {
      this.log(session, `login failed for ${loginId}: ${error.message}`);
      this.options.events.emit('login', { login: loginId, ok: false, reason: error.message });
      return { error: { ...error } };
    };
    if (!nonEmpty(params.passwd)) return refuse(ERR.missingPasswd);
    const user = this.options.store.findUser(loginId);
    if (!user) return refuse(ERR.loginIncorrect);
    if (user.password !== params.passwd) return refuse(ERR.authFailure);
    if (session.user) {
      // A repeated login is checked again (1.10.7+); it may not switch the connection to another user.
      if (session.user.id !== user.id) return refuse(ERR.sessionInUse);
      this.options.events.emit('login', { login: loginId, ok: true, reason: 'logged in again' });
      return undefined;
    }
    if (this.channelFull(user)) {
      this.options.events.emit('limit', { client: session.tag, limit: 'channel-full' });
      return refuse(ERR.channelFull);
    }
    const sessid = nonEmpty(params.sessid) ? params.sessid : randomUUID();
    const holder = this.sessions.get(sessid);
    if (holder && holder.user?.id !== user.id) {
      session.closing = true;
      this.later(this.options.timing.closeAfterMs, () => session.socket.close(1000, ''));
      return refuse(ERR.sessionInUse);
    }
    session.user = user;
    session.sessid = sessid;
    this.sessions.set(sessid, session);
    if (holder) this.punt(holder, 'sessid reused by a new login');
    if (this.options.duplicateLogin === 'credentials') {
      for (const other of this.byUser.get(user.id) ?? []) this.punt(other, 'same credentials logged in again');
    }
    const own = this.byUser.get(user.id) ?? new Set<Session>();
    own.add(session);
    this.byUser.set(user.id, own);
    this.log(session, `login ok (was ${session.tag}, sessid ${sessid})`);
    this.options.events.emit('login', { login: loginId, ok: true, reason: 'logged in' });
    this.later(this.options.timing.clientReadyMs, () => this.sendRequest(session, 'verto.clientReady', { reattached_sessions: [] }));
    return undefined;
  }

  private channelFull(user: DirectoryUser): boolean {
    return user.channels.some((channel) => {
      if (channel === '__ANY__') return false;
      let others = 0;
      for (const [id, sessions] of this.byUser) {
        const member = [...sessions][0]?.user;
        if (id !== user.id && member?.channels.includes(channel)) others += 1;
      }
      return others >= this.options.maxClientsPerChannel;
    });
  }

  private punt(target: Session, reason: string): void {
    this.log(target, `punt: ${reason}`);
    this.options.events.emit('punt', { client: labelOf(target), sessid: target.sessid ?? '', reason });
    this.sendRequest(target, 'verto.punt', {});
    this.drop(target);
    this.later(this.options.timing.closeAfterMs, () => target.socket.close(1000, ''));
  }

  /** Takes a session out of every table; it gets nothing more. */
  private drop(session: Session): void {
    session.closing = true;
    clearTimeout(session.pingTimer);
    if (session.sessid && this.sessions.get(session.sessid) === session) this.sessions.delete(session.sessid);
    if (session.user) {
      const own = this.byUser.get(session.user.id);
      own?.delete(session);
      if (own?.size === 0) this.byUser.delete(session.user.id);
    }
    for (const channel of session.subscriptions.keys()) {
      const subs = this.subscribers.get(channel);
      subs?.delete(session);
      if (subs?.size === 0) this.subscribers.delete(channel);
    }
    session.subscriptions.clear();
  }

  private onClose(session: Session, code: number): void {
    this.drop(session);
    this.log(session, `close ${code}`);
    this.options.events.emit('close', { client: labelOf(session), code });
  }

  private channelsOf(params: JsonObject | undefined): string[] | undefined {
    const value = params?.eventChannel;
    if (typeof value === 'string') return [value];
    if (Array.isArray(value)) {
      const names = value.filter((v): v is string => typeof v === 'string');
      return names.length > 0 ? names : undefined;
    }
    return undefined;
  }

  private subscribe(session: AuthedSession, params: JsonObject | undefined): Outcome {
    const channels = this.channelsOf(params);
    if (!channels) return { error: {} };
    const subscribed: string[] = [];
    const unauthorized: string[] = [];
    const already: string[] = [];
    for (const channel of channels) {
      if (!isPermitted(session.user.channels, channel)) unauthorized.push(channel);
      else if (session.subscriptions.has(channel)) already.push(channel);
      else {
        session.subscriptions.set(channel, 0);
        const subs = this.subscribers.get(channel) ?? new Set<Session>();
        subs.add(session);
        this.subscribers.set(channel, subs);
        subscribed.push(channel);
      }
    }
    this.log(session, `subscribe ${JSON.stringify(channels)}: ok ${subscribed.length}, already ${already.length}, refused ${unauthorized.length}`);
    this.options.events.emit('subscribe', { client: session.user.id, channels: subscribed });
    if (subscribed.length + already.length === 0) return { error: { unauthorizedChannels: unauthorized } };
    const result: JsonObject = { subscribedChannels: subscribed };
    if (unauthorized.length > 0) result.unauthorizedChannels = unauthorized;
    if (already.length > 0) result.alreadySubscribedChannels = already;
    return { result };
  }

  private unsubscribe(session: AuthedSession, params: JsonObject | undefined): Outcome {
    const channels = this.channelsOf(params);
    if (!channels) return { error: {} };
    const done: string[] = [];
    const notSubscribed: string[] = [];
    for (const channel of channels) {
      if (!session.subscriptions.delete(channel)) {
        notSubscribed.push(channel);
        continue;
      }
      const subs = this.subscribers.get(channel);
      subs?.delete(session);
      if (subs?.size === 0) this.subscribers.delete(channel);
      done.push(channel);
    }
    if (done.length === 0) return { error: { notSubscribedChannels: notSubscribed } };
    const result: JsonObject = { unsubscribedChannels: done };
    if (notSubscribed.length > 0) result.notSubscribedChannels = notSubscribed;
    return { result };
  }

  private broadcast(session: AuthedSession, params: JsonObject | undefined): Outcome {
    const channel = params?.eventChannel;
    // mod_verto reports broadcast failures inside `result`, with code -32002.
    if (!params || !nonEmpty(channel)) return { result: { message: 'eventChannel not specified.', code: -32002 } };
    if (!isPermitted(session.user.channels, channel)) return { result: { message: 'Permission Denied.', code: -32002 } };
    // Without localBroadcast the core dispatcher skips mod_verto's own binding: no verto client sees it.
    if (params.localBroadcast !== true) return { result: {} };
    const base: JsonObject = { ...params };
    for (const key of ['userid', 'sessid', 'eventSerno', 'subscribedChannel']) delete base[key];
    base.userid = this.userId(session.user);
    base.sessid = session.sessid ?? '';
    for (const subscriber of this.subscribers.get(channel) ?? []) {
      const serno = subscriber.subscriptions.get(channel) ?? 0;
      subscriber.subscriptions.set(channel, serno + 1);
      const eventParams: JsonObject = { ...base, eventSerno: serno, subscribedChannel: channel };
      this.later(this.options.timing.eventDelayMs, () => this.sendRequest(subscriber, 'verto.event', eventParams));
    }
    return { result: {} };
  }

  private info(session: AuthedSession, params: JsonObject | undefined): Outcome {
    if (!params) return { error: { message: 'Params data missing', code: -32002 } };
    const msg = params.msg;
    if (msg === undefined) return { result: { message: 'SENT' } };
    const to = isJsonObject(msg) ? msg.to : undefined;
    const body = isJsonObject(msg) ? msg.body : undefined;
    if (!nonEmpty(to) || !nonEmpty(body)) return { error: { message: 'INVALID MESSAGE to and body params required' } };
    const from = this.userId(session.user);
    const decision = decideRelay(session.user, to, body, this.options.domain, this.options.store, this.options.relay.policy);
    if (!decision.deliver) {
      this.log(session, `relay to ${to} dropped: ${decision.reason}`);
      this.options.events.emit('relay-dropped', { from, to, reason: decision.reason });
    } else {
      const { delayMs, jitterMs } = this.options.relay;
      this.later(delayMs + Math.random() * jitterMs, () => this.deliverChat(session, from, decision.target, body));
    }
    // SENT only means "event fired", whatever happens to the message.
    return { result: { message: 'SENT' } };
  }

  private deliverChat(sender: Session, from: string, target: string, body: string): void {
    const at = target.indexOf('@');
    const domainOk = target.slice(at + 1) === this.options.domain;
    const receivers = domainOk ? [...(this.byUser.get(target.slice(0, at)) ?? [])] : [];
    if (receivers.length === 0) this.log(sender, `relay to ${target} dropped: nobody online`);
    for (const receiver of receivers) this.sendRequest(receiver, 'verto.info', { msg: { from, to: target, body } });
    this.options.events.emit('relayed', { from, to: target, deliveries: receivers.length });
  }

  private armPing(session: Session): void {
    clearTimeout(session.pingTimer);
    session.pingTimer = setTimeout(() => {
      this.sendRequest(session, 'verto.ping', { serno: Math.floor(Date.now() / 1000) });
      this.armPing(session);
    }, this.options.timing.serverPingMs);
  }

  private sendRequest(session: Session, method: string, params: JsonObject): void {
    if (session.closing) return;
    this.write(session, request(this.nextRequestId++, method, params));
  }

  private write(session: Session, frame: JsonValue): void {
    if (session.socket.isOpen) session.socket.send(JSON.stringify(frame));
  }

  private userId(user: DirectoryUser): string {
    return `${user.id}@${this.options.domain}`;
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      action();
    }, ms);
    this.pending.add(timer);
  }

  private log(session: Session, text: string): void {
    this.options.logger.info(`[${labelOf(session)}] ${text}`);
  }

  private debug(session: Session, text: string): void {
    this.options.logger.debug(`[${labelOf(session)}] ${text}`);
  }
}
