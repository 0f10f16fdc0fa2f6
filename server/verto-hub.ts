import { randomUUID } from 'node:crypto';
import type { DirectoryUser } from './credential-store';
import { ChatEvent, decideRelay, RelayDecision, RelayPolicy } from './chat-relay';
import { envelopeError, ERR, isRecord, JsonObject, JsonValue, Outcome, reply, request } from './json-rpc';
import type { Logger } from './logger';
import { loginAddress, LoginRules } from './login-address';
import { grant, Grants, isPermitted, splitPermissionValue } from './permission-list';
import { RateLimit, RateLimiter } from './rate-limiter';
import type { ServerEvents } from './server-events';
import { SessionRegistry } from './session-registry';
import { isPending, UserDirectory } from './user-directory';
import { firedChat } from './verto-msg';

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
  /** Extra random delay in [0, jitterMs) per msg; non-zero values reorder back-to-back messages. */
  readonly jitterMs: number;
}

/** Limits FreeSWITCH does not have, for development only; each is off when undefined. */
export interface DevelopmentLimits {
  /** Token bucket per connection; running dry closes the socket with 1008. */
  readonly rateLimit?: RateLimit;
  /** Distinct users logged in per channel; one more gets -32001 `Channel full`. */
  readonly maxClientsPerChannel?: number;
}

export interface HubOptions extends LoginRules {
  /** The users of `domain`: a `CredentialStore` (answers at once) or a URL directory (may answer later). */
  readonly directory: UserDirectory;
  readonly logger: Logger;
  readonly events: ServerEvents;
  readonly timing: VertoTiming;
  readonly relay: RelayOptions;
  readonly limits: DevelopmentLimits;
}

interface Session {
  readonly tag: string;
  readonly socket: VertoSocket;
  readonly limiter?: RateLimiter;
  user?: DirectoryUser;
  /** `id@domain` of the current login: what chat delivery and broadcasts name. */
  uid?: string;
  sessid?: string;
  /** What this socket may call and use, gathered over its logins. */
  methods?: Grants;
  channels?: Grants;
  /** Punted, refused or over a limit: inbound frames are ignored until the socket is gone. */
  closing: boolean;
  pingTimer?: NodeJS.Timeout;
  /**
   * Frames that arrived while a login waits for the directory: mod_verto reads one socket in one
   * thread, so they are processed after it, in order.
   */
  held?: string[];
  /** The relay decision of an earlier peer message of this socket still waits for the directory: later ones queue behind it. */
  relayTail?: Promise<void>;
}

/** Inbound side of one connection, handed to the transport. */
export interface SessionHandle {
  onText(text: string): void;
  onClose(code: number): void;
  /** The client id once logged in, else a connection tag: the prefix of every log line. */
  readonly label: string;
}

type AuthedSession = Session & { user: DirectoryUser; uid: string; methods: Grants; channels: Grants };
/** The directory's answers for the logins of one frame, gathered before it is processed. */
type FoundUsers = ReadonlyMap<string, DirectoryUser | undefined>;
type Handler = (session: AuthedSession, params: JsonObject | undefined) => Outcome;

const isAuthed = (session: Session): session is AuthedSession => session.user !== undefined && session.uid !== undefined && session.methods !== undefined && session.channels !== undefined;

const nonEmpty = (v: JsonValue | undefined): v is string => typeof v === 'string' && v !== '';
const labelOf = (session: Session): string => session.user?.id ?? session.tag;

/**
 * mod_verto 1.11.1 plus the Lua MESSAGE relay, over abstract sockets: the auth gate, sessid binding,
 * punts, subscriptions, broadcasts, the msg relay and keepalive pings. Shapes follow the transcripts
 * in spec/server/fixtures/freeswitch-1.11.1.
 */
export class VertoHub {
  private connectionCount = 0;
  /** One counter for every server-originated request, as mod_verto's process-wide one. */
  private nextRequestId = 1;
  private readonly registry = new SessionRegistry<Session>();
  private readonly pending = new Set<NodeJS.Timeout>();
  private readonly loginCounts = new Map<string, number>();
  private stopped = false;
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

  /** What the registry still holds (tests: every session that closed has left it). */
  sizes(): ReturnType<SessionRegistry<Session>['sizes']> {
    return this.registry.sizes();
  }

  connect(socket: VertoSocket, remote: string): SessionHandle {
    const { rateLimit } = this.options.limits;
    const session: Session = {
      tag: `conn-${++this.connectionCount}`,
      socket,
      limiter: rateLimit ? new RateLimiter(rateLimit) : undefined,
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

  /** Stops every timer (server shutdown); the transport drops the sockets, and each close clears its ping. */
  shutdown(): void {
    this.stopped = true;
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
  }

  private onText(session: Session, text: string): void {
    if (session.closing) return;
    this.armPing(session);
    if (session.limiter && !session.limiter.take()) {
      this.log(session, 'limit hit: message rate; closing 1008');
      this.options.events.emit('limit', { client: labelOf(session), limit: 'rate' });
      this.drop(session);
      session.socket.close(1008, 'message rate limit exceeded');
      return;
    }
    if (session.held) {
      session.held.push(text);
      return;
    }
    this.handleText(session, text);
  }

  /** One frame: parsed, its logins looked up (waiting for the directory if it answers later), then processed. */
  private handleText(session: Session, text: string): void {
    if (session.closing) return;
    // `#` frames are mod_verto's speed-test side protocol, never JSON-RPC.
    if (text.startsWith('#')) return this.debug(session, 'ignored # frame');
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(text) as JsonValue;
    } catch {
      this.debug(session, 'frame is not JSON');
      return this.write(session, envelopeError(null, ERR.invalidRequest));
    }
    const found = new Map<string, DirectoryUser | undefined>();
    const waiting: Promise<void>[] = [];
    for (const id of this.loginIds(session, Array.isArray(parsed) ? parsed : [parsed])) {
      const lookup = this.options.directory.findUser(id, 'login');
      if (!isPending(lookup)) found.set(id, lookup);
      else waiting.push(lookup.then((user) => void found.set(id, user), () => void found.set(id, undefined)));
    }
    if (waiting.length === 0) return this.processFrame(session, parsed, found);
    session.held = [];
    void Promise.all(waiting).then(() => {
      this.processFrame(session, parsed, found);
      const held = session.held ?? [];
      session.held = undefined;
      this.release(session, held);
    });
  }

  /** Processes frames held during a lookup; one that waits for the directory in turn holds the rest again. */
  private release(session: Session, frames: readonly string[]): void {
    for (const [index, text] of frames.entries()) {
      this.handleText(session, text);
      if (session.held) {
        session.held.push(...frames.slice(index + 1));
        return;
      }
    }
  }

  /** The ids of the logins a frame may authenticate with (a superset: the auth gate decides), in the directory domain. */
  private loginIds(session: Session, items: readonly JsonValue[]): Set<string> {
    const ids = new Set<string>();
    for (const item of items) {
      if (!isRecord(item) || !isRecord(item.params) || (session.user && item.method !== 'login')) continue;
      const { login, passwd } = item.params;
      if (!nonEmpty(login) || !nonEmpty(passwd)) continue;
      const address = loginAddress(login, this.options);
      if (address?.domain === this.options.domain) ids.add(address.id);
    }
    return ids;
  }

  private processFrame(session: Session, parsed: JsonValue, found: FoundUsers): void {
    if (Array.isArray(parsed)) {
      // Batch: one reply per element that produces one; mod_verto adds no sessid inside.
      const replies = parsed.map((item) => this.process(session, item, true, found)).filter((r): r is JsonObject => r !== undefined);
      if (replies.length > 0) this.write(session, replies);
      return;
    }
    const single = this.process(session, parsed, false, found);
    if (single) this.write(session, single);
  }

  private process(session: Session, message: JsonValue, inBatch: boolean, found: FoundUsers): JsonObject | undefined {
    if (session.closing) return undefined;
    if (!isRecord(message)) return envelopeError(null, ERR.invalidMessage);
    const id = message.id ?? null;
    if (message.jsonrpc !== '2.0') return envelopeError(id, ERR.invalidMessage);
    // Replies to our own requests (verto.ping, verto.event…) are accepted and dropped.
    if ('result' in message || 'error' in message) return undefined;
    const method = typeof message.method === 'string' ? message.method : undefined;
    const params = isRecord(message.params) ? message.params : undefined;
    if (!session.user || method === 'login') {
      const refused = this.authenticate(session, message, found);
      if (refused) return reply(id, refused);
    }
    const handler = method !== undefined && Object.hasOwn(this.handlers, method) ? this.handlers[method] : undefined;
    // `login` is always allowed on top of the directory's jsonrpc-allowed-methods.
    const permitted = method === 'login' || (isAuthed(session) && method !== undefined && isPermitted(session.methods, method));
    if (!isAuthed(session) || !handler || !permitted) {
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
  private authenticate(session: Session, message: JsonObject, found: FoundUsers): Outcome | undefined {
    if (message.params === undefined) return { error: { ...ERR.missingParams } };
    const params = isRecord(message.params) ? message.params : {};
    if (!nonEmpty(params.login)) return { error: { ...ERR.authRequired } };
    const loginId = params.login.split('@')[0];
    this.loginCounts.set(loginId, (this.loginCounts.get(loginId) ?? 0) + 1);
    const refuse = (error: { code: number; message: string }): Outcome => {
      this.log(session, `login failed for ${loginId}: ${error.message}`);
      this.options.events.emit('login', { login: loginId, ok: false, reason: error.message });
      return { error: { ...error } };
    };
    if (!nonEmpty(params.passwd)) return refuse(ERR.missingPasswd);
    const address = loginAddress(params.login, this.options);
    if (!address) return refuse(ERR.improperCredentials);
    const user = address.domain === this.options.domain ? found.get(address.id) : undefined;
    if (!user) return refuse(ERR.loginIncorrect);
    if (user.password !== params.passwd) return refuse(ERR.authFailure);
    if (!session.user && this.channelFull(user)) {
      this.options.events.emit('limit', { client: session.tag, limit: 'channel-full' });
      return refuse(ERR.channelFull);
    }
    const uid = this.userId(user);
    const again = session.user !== undefined;
    if (!again) {
      const sessid = nonEmpty(params.sessid) ? params.sessid : randomUUID();
      const holder = this.registry.holderOf(sessid);
      if (holder && holder.uid !== uid) {
        // mod_verto refuses a takeover of a live session by another user and drops the socket.
        session.closing = true;
        this.later(this.options.timing.closeAfterMs, () => session.socket.close(1000, ''));
        return refuse(ERR.sessionInUse);
      }
      session.sessid = sessid;
      this.registry.bindSessid(session, sessid);
      if (holder) this.punt(holder, 'sessid reused by a new login');
    }
    // A login on a logged-in socket may switch it to another user: it keeps its sessid, and adds
    // that user's permissions to those it had.
    session.user = user;
    session.uid = uid;
    session.methods = grant(session.methods, user.allowedMethods);
    session.channels = grant(session.channels, user.allowedEventChannels);
    this.registry.setLogin(session, uid);
    this.options.events.emit('login', { login: loginId, ok: true, reason: again ? 'logged in again' : 'logged in' });
    if (again) {
      this.log(session, `login again ok (sessid ${session.sessid})`);
      return undefined;
    }
    this.log(session, `login ok (was ${session.tag}, sessid ${session.sessid})`);
    this.later(this.options.timing.clientReadyMs, () => this.sendRequest(session, 'verto.clientReady', { reattached_sessions: [] }));
    return undefined;
  }

  private channelFull(user: DirectoryUser): boolean {
    const cap = this.options.limits.maxClientsPerChannel;
    if (cap === undefined) return false;
    const uid = this.userId(user);
    const channelsOf = (u: DirectoryUser | undefined): string[] => splitPermissionValue(u?.allowedEventChannels ?? '').filter((c) => c !== '__ANY__');
    const others = this.registry.logins().filter((login) => login !== uid).map((login) => channelsOf(this.registry.sessionsOf(login)[0]?.user));
    return channelsOf(user).some((channel) => others.filter((channels) => channels.includes(channel)).length >= cap);
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
    this.registry.remove(session);
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
      if (!isPermitted(session.channels, channel)) unauthorized.push(channel);
      else if (this.registry.subscribe(session, channel)) subscribed.push(channel);
      else already.push(channel);
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
    for (const channel of channels) (this.registry.unsubscribe(session, channel) ? done : notSubscribed).push(channel);
    if (done.length === 0) return { error: { notSubscribedChannels: notSubscribed } };
    const result: JsonObject = { unsubscribedChannels: done };
    if (notSubscribed.length > 0) result.notSubscribedChannels = notSubscribed;
    return { result };
  }

  private broadcast(session: AuthedSession, params: JsonObject | undefined): Outcome {
    const channel = params?.eventChannel;
    // mod_verto reports broadcast failures inside `result`, with code -32002.
    if (!params || !nonEmpty(channel)) return { result: { message: 'eventChannel not specified.', code: -32002 } };
    if (!isPermitted(session.channels, channel)) return { result: { message: 'Permission Denied.', code: -32002 } };
    // Without localBroadcast the core dispatcher skips mod_verto's own binding: no verto client sees it.
    if (params.localBroadcast !== true) return { result: {} };
    const base: JsonObject = { ...params };
    for (const key of ['userid', 'sessid', 'eventSerno', 'subscribedChannel']) delete base[key];
    base.userid = session.uid;
    base.sessid = session.sessid ?? '';
    for (const subscriber of this.registry.subscribersOf(channel)) {
      const eventParams: JsonObject = { ...base, eventSerno: this.registry.nextSerno(subscriber, channel), subscribedChannel: channel };
      this.later(this.options.timing.eventDelayMs, () => this.sendRequest(subscriber, 'verto.event', eventParams));
    }
    return { result: {} };
  }

  private info(session: AuthedSession, params: JsonObject | undefined): Outcome {
    if (!params) return { error: { message: 'Params data missing', code: -32002 } };
    // Without msg (and without the call-related fields we do not model) mod_verto answers an empty result.
    if (!('msg' in params)) return { result: {} };
    const chat = firedChat(params.msg);
    if (!chat) return { error: { message: 'INVALID MESSAGE to and body params required' } };
    // The event names the sender as it is now, even if the socket logs in as someone else before delivery.
    const event: ChatEvent = { from: session.uid, fromUser: session.user.id, fromHost: this.options.domain, to: chat.to, body: chat.body };
    for (let copy = 0; copy < chat.copies; copy += 1) this.relay(session, event);
    // SENT only means "event fired", whatever happens to the message.
    return { result: { message: 'SENT' } };
  }

  /** One MESSAGE event through the hook: decided now when the directory answers from memory, else in order behind this socket's earlier ones. */
  private relay(session: Session, event: ChatEvent): void {
    const act = (decision: RelayDecision): void => {
      if (!decision.deliver) {
        this.log(session, `relay to ${event.to} dropped: ${decision.reason}`);
        this.options.events.emit('relay-dropped', { from: event.from, to: event.to, reason: decision.reason });
        return;
      }
      const { delayMs, jitterMs } = this.options.relay;
      this.later(delayMs + Math.random() * jitterMs, () => this.deliverChat(session, event.from, decision.target, event.body));
    };
    let decided: Promise<RelayDecision>;
    if (session.relayTail) {
      decided = session.relayTail.then(() => this.decide(event));
    } else {
      const now = this.decide(event);
      if (!(now instanceof Promise)) return act(now);
      decided = now;
    }
    const tail = decided.then(act);
    session.relayTail = tail;
    void tail.then(() => {
      if (session.relayTail === tail) session.relayTail = undefined;
    });
  }

  /** The hook's decision, with its two `user_data` lookups (sender, target) through the directory. */
  private decide(event: ChatEvent): RelayDecision | Promise<RelayDecision> {
    const known = new Map<string, string | undefined>();
    const waiting: Promise<void>[] = [];
    const lookup = (address: string): string | undefined => {
      if (known.has(address)) return known.get(address);
      const at = address.indexOf('@');
      const found = address.slice(at + 1) === this.options.domain ? this.options.directory.findUser(address.slice(0, at), 'user_data') : undefined;
      if (!isPending(found)) {
        known.set(address, found?.allowedEventChannels);
        return found?.allowedEventChannels;
      }
      known.set(address, undefined);
      waiting.push(found.then((user) => void known.set(address, user?.allowedEventChannels), () => undefined));
      return undefined;
    };
    const decision = decideRelay(event, lookup, this.options.relay.policy);
    if (waiting.length === 0) return decision;
    return Promise.all(waiting).then(() => decideRelay(event, (address) => known.get(address), this.options.relay.policy));
  }

  /** mod_verto's chat interface: every logged-in socket whose login is exactly `target` gets the same request. */
  private deliverChat(sender: Session, from: string, target: string, body: string): void {
    const receivers = this.registry.sessionsOf(target);
    if (receivers.length === 0) this.log(sender, `relay to ${target} dropped: nobody online`);
    const frame = request(this.nextRequestId++, 'verto.info', { msg: { from, to: target, body } });
    for (const receiver of receivers) this.write(receiver, frame);
    this.options.events.emit('relayed', { from, to: target, deliveries: receivers.length });
  }

  private armPing(session: Session): void {
    clearTimeout(session.pingTimer);
    if (this.stopped || session.closing) return;
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
    if (this.stopped) return;
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
