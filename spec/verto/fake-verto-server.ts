import type { Context } from 'rxjs-marbles/jest';
import type { WebSocketCtor, WebSocketLike } from '../../src/verto/socket';

type Listener = (event: Event) => void;
export type Frame = { jsonrpc?: string; id?: unknown; method?: string; params?: Record<string, unknown>; result?: unknown; error?: unknown };

/** A WebSocket stand-in driven by virtual time: the "server" side is the test's script. */
export class FakeSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: Frame[] = [];
  closedByClient: { code?: number } | undefined;
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    readonly url: string,
    private readonly hub: FakeVertoServer,
  ) {}

  addEventListener(type: string, listener: Listener): void {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: Listener): void {
    this.listeners.get(type)?.delete(listener);
  }
  listenerCount(): number {
    return [...this.listeners.values()].reduce((n, s) => n + s.size, 0);
  }
  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    const frame = JSON.parse(data) as Frame;
    this.sent.push(frame);
    this.hub.received(this, frame);
  }
  close(code?: number): void {
    this.closedByClient = { code };
    this.readyState = 3;
  }

  // --- server side ---
  open(): void {
    this.readyState = 1;
    this.emit('open', new Event('open'));
  }
  message(frame: Frame | string): void {
    if (this.readyState !== 1) return;
    const data = typeof frame === 'string' ? frame : JSON.stringify({ jsonrpc: '2.0', ...frame });
    this.emit('message', new MessageEvent('message', { data }));
  }
  serverClose(code: number, reason = ''): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.emit('close', new CloseEvent('close', { code, reason, wasClean: code !== 1006 }));
  }
  private emit(type: string, event: Event): void {
    for (const l of [...(this.listeners.get(type) ?? [])]) l(event);
  }
}

export interface ServerBehaviour {
  /** Refuse this many connection attempts (close 1006 one ms after the attempt). */
  refuse: number;
  /** This many connection attempts neither open nor close (the network drops the SYNs); counted after `refuse`. */
  blackhole: number;
  /** Errors for the next logins, one per login (then logins succeed). */
  loginErrors: { code: number; message: string }[];
  /** Delay of the login reply in ms. */
  loginDelay: number;
  answerPings: boolean;
  /** When false, `verto.info` gets no reply (the socket died under it). */
  answerInfos: boolean;
  /** When false, clientReady never comes. */
  sendClientReady: boolean;
  /** When set, `verto.subscribe` is refused with this error object. */
  subscribeError?: Record<string, unknown>;
}

/**
 * A scripted verto server in virtual time, with FreeSWITCH 1.11.1's shapes: replies 1 ms after a
 * request, `verto.clientReady` 1 ms after the login result, `verto.event` copies of localBroadcasts
 * to the sender. `log` is the transcript of what the client sent, as "<ms> <method>".
 */
export class FakeVertoServer {
  readonly sockets: FakeSocket[] = [];
  readonly log: string[] = [];
  readonly behaviour: ServerBehaviour = { refuse: 0, blackhole: 0, loginErrors: [], loginDelay: 1, answerPings: true, answerInfos: true, sendClientReady: true };
  private serverId = 1000;
  readonly ctor: WebSocketCtor;

  constructor(
    private readonly m: Context,
    readonly userId = 'me',
  ) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the fake constructor needs its hub
    const hub = this;
    this.ctor = class {
      constructor(url: string) {
        const socket = new FakeSocket(url, hub);
        hub.sockets.push(socket);
        hub.log.push(`${hub.now()} connect`);
        if (hub.behaviour.refuse > 0) {
          hub.behaviour.refuse -= 1;
          hub.later(1, () => socket.serverClose(1006));
        } else if (hub.behaviour.blackhole > 0) {
          hub.behaviour.blackhole -= 1;
        } else {
          hub.later(1, () => socket.open());
        }
        return socket;
      }
    } as unknown as WebSocketCtor;
  }

  get last(): FakeSocket {
    return this.sockets[this.sockets.length - 1];
  }

  now(): number {
    return this.m.scheduler.now();
  }

  later(delay: number, work: () => void): void {
    this.m.scheduler.schedule(work, delay);
  }

  /** A server-originated request with a numeric id from one counter, like mod_verto's. */
  push(socket: FakeSocket, method: string, params: Record<string, unknown>): void {
    socket.message({ id: ++this.serverId, method, params });
  }

  received(socket: FakeSocket, frame: Frame): void {
    const method = frame.method ?? '?';
    const detail = method === 'verto.broadcast' ? ` ${decodePresence(frame)}` : method === 'verto.info' ? ` ${describeInfo(frame)}` : '';
    this.log.push(`${this.now()} ${method}${detail}`);
    const reply = (body: { result?: unknown; error?: unknown }, delay = 1) => this.later(delay, () => socket.message({ id: frame.id, ...body }));
    const sessid = frame.params?.sessid;
    switch (method) {
      case 'login':
        {
          const error = this.behaviour.loginErrors.shift();
          const delay = this.behaviour.loginDelay;
          if (error) {
            reply({ error }, delay);
            return;
          }
          reply({ result: { message: 'logged in', sessid } }, delay);
          if (this.behaviour.sendClientReady) this.later(delay + 1, () => this.push(socket, 'verto.clientReady', { reattached_sessions: [] }));
        }
        return;
      case 'verto.subscribe':
        reply(this.behaviour.subscribeError ? { error: this.behaviour.subscribeError } : { result: { subscribedChannels: [frame.params?.eventChannel], sessid } });
        return;
      case 'verto.broadcast':
        reply({ result: { sessid } });
        // localBroadcast: the sender's own copy comes back (docs/protocol.md#broadcast).
        this.later(2, () => this.push(socket, 'verto.event', { ...frame.params, userid: `${this.userId}@localhost`, eventSerno: 0 }));
        return;
      case 'verto.info':
        if (this.behaviour.answerInfos) reply({ result: { message: 'SENT', sessid } });
        return;
      case 'verto.ping':
        if (this.behaviour.answerPings) reply({ result: { message: 'PONG', sessid } });
        return;
      default:
        reply({ error: { code: -32601, message: 'Invalid Method, Missing Method or Permission Denied' } });
    }
  }
}

export function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
}

function decodePresence(frame: Frame): string {
  const data = frame.params?.eventData;
  if (typeof data !== 'string') return '(no data)';
  const body = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { peerStatus?: string };
  return String(body.peerStatus);
}

function describeInfo(frame: Frame): string {
  const msg = frame.params?.msg as { to?: string; body?: string } | undefined;
  if (!msg?.body) return '(no msg)';
  return `to ${msg.to} ${Buffer.from(msg.body, 'base64').toString('utf8')}`;
}
