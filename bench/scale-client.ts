/**
 * One simulated page for the scale benchmark: raw verto over a WebSocket through nginx, doing what the
 * browser client does with its channel (docs/protocol.md): log in, subscribe on verto.clientReady,
 * broadcast `ready`, answer every other page's `ready` directly with a peer message (`available`), and
 * when its socket drops, reconnect on the client's own schedule (src/verto/backoff.ts) with the same
 * credentials and sessid, and do it all again.
 */
import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { reconnectDelay } from '../src/verto/backoff';
import { NODE_HEADER } from '../e2e/support/nginx';

export type PresenceKind = 'ready' | 'available';

export interface ClientHooks {
  /** This page learnt of `from` (its broadcast, or its direct answer), `sentAt` by the sender's clock (performance.now()). */
  onPresence(client: ScaleClient, from: string, kind: PresenceKind, sentAt: number): void;
  /** A peer message that is not presence (the call-setup phase). */
  onPeerMessage(client: ScaleClient, from: string, body: Record<string, unknown>): void;
  /** The socket dropped without this page closing it. */
  onDrop(client: ScaleClient): void;
  /** Logged in, subscribed and `ready` sent again after a drop. */
  onBack(client: ScaleClient): void;
}

interface Frame {
  readonly id?: unknown;
  readonly method?: string;
  readonly result?: unknown;
  readonly error?: unknown;
  readonly params?: { readonly eventData?: string; readonly userid?: string; readonly msg?: { readonly from?: string; readonly body?: string } };
}

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');
const decode = (text: string | undefined): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(Buffer.from(text ?? '', 'base64').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** How long one connection attempt may take before it counts as failed. */
const ATTEMPT_TIMEOUT_MS = 10_000;

export class ScaleClient {
  /** The node that holds the socket now (nginx's last $upstream_addr). */
  node?: string;
  private ws?: WebSocket;
  private nextId = 1;
  private closing = false;

  constructor(
    private readonly url: string,
    readonly channel: string,
    readonly login: string,
    private readonly password: string,
    private readonly sessid: string,
    private readonly hooks: ClientHooks,
  ) {}

  /** Opens, logs in, subscribes and broadcasts `ready`; rejects on any failure of this one attempt. */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url);
      this.ws = ws;
      let subscribed = false;
      const fail = (why: string): void => {
        clearTimeout(timer);
        if (subscribed) return;
        ws.removeAllListeners();
        ws.on('error', () => undefined);
        ws.terminate();
        reject(new Error(why));
      };
      const timer = setTimeout(() => fail('attempt timed out'), ATTEMPT_TIMEOUT_MS);
      ws.once('upgrade', (res: IncomingMessage) => (this.node = String(res.headers[NODE_HEADER]).split(', ').pop()));
      ws.once('unexpected-response', (_req, res: IncomingMessage) => fail(`HTTP ${res.statusCode}`));
      ws.on('error', (error) => fail(error.message));
      ws.once('open', () => this.send('login', { login: this.login, passwd: this.password, sessid: this.sessid }, 'login'));
      ws.once('close', () => {
        if (!subscribed) return fail('closed during setup');
        if (!this.closing) this.dropped();
      });
      ws.on('message', (data: Buffer) => {
        let frame: Frame;
        try {
          frame = JSON.parse(data.toString('utf8')) as Frame;
        } catch {
          return;
        }
        if (frame.id === 'login' && frame.error) return fail(`login refused: ${JSON.stringify(frame.error)}`);
        if (frame.method === 'verto.clientReady') return this.send('verto.subscribe', { eventChannel: this.channel }, 'sub');
        if (frame.id === 'sub') {
          if (!frame.result) return fail(`subscribe refused: ${JSON.stringify(frame.error)}`);
          subscribed = true;
          clearTimeout(timer);
          this.broadcast('ready');
          return resolve();
        }
        this.onFrame(frame);
      });
    });
  }

  /** A presence broadcast to the channel (localBroadcast, as the client sends it). */
  broadcast(kind: PresenceKind, sentAt = performance.now()): void {
    this.send('verto.broadcast', { eventChannel: this.channel, localBroadcast: true, eventData: encode({ kind, sentAt }) });
  }

  /** A peer message (verto.info msg) to another page's login. */
  message(to: string, body: Record<string, unknown>): void {
    this.send('verto.info', { msg: { to, body: encode(body) } });
  }

  /** Closes for good (no reconnect). */
  close(): Promise<void> {
    this.closing = true;
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      ws.once('close', () => resolve());
      ws.close(1000);
    });
  }

  private onFrame(frame: Frame): void {
    if (frame.method === 'verto.ping') return this.reply(frame.id, { message: 'PONG' });
    if (frame.method === 'verto.event') {
      const from = frame.params?.userid;
      const presence = decode(frame.params?.eventData);
      if (!from || from === this.login || !presence) return;
      const kind = presence.kind === 'ready' ? 'ready' : 'available';
      this.hooks.onPresence(this, from, kind, Number(presence.sentAt));
      if (kind === 'ready') this.message(from, { kind: 'available', sentAt: performance.now() });
      return;
    }
    if (frame.method === 'verto.info') {
      const from = frame.params?.msg?.from;
      const body = decode(frame.params?.msg?.body);
      if (!from || !body) return;
      if (body.kind === 'available') this.hooks.onPresence(this, from, 'available', Number(body.sentAt));
      else this.hooks.onPeerMessage(this, from, body);
    }
  }

  /** The socket is gone: retry as the client does until back (bounded by the benchmark's own watchdog). */
  private dropped(): void {
    this.hooks.onDrop(this);
    const lost = performance.now();
    const attempt = (n: number): void => {
      if (this.closing) return;
      setTimeout(() => {
        if (this.closing) return;
        this.connect().then(
          () => this.hooks.onBack(this),
          () => attempt(n + 1),
        );
      }, reconnectDelay(n, performance.now() - lost, Math.random));
    };
    attempt(1);
  }

  private send(method: string, params: Record<string, unknown>, id: string | number = this.nextId++): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  }

  private reply(id: unknown, result: Record<string, unknown>): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, result }));
  }
}
