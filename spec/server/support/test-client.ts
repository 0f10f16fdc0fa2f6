import { WebSocket } from 'ws';

export type Frame = unknown;
/** Received JSON as tests read it: nested fields are asserted with expect(), so a loose type is enough here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Loose = any;

/**
 * A real `ws` client that queues what it receives, so a test can await "the next frame that matches"
 * instead of sleeping. Frames that don't parse are queued as raw strings.
 */
export class TestClient {
  readonly ws: WebSocket;
  readonly received: Frame[] = [];
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  constructor(url: string) {
    this.ws = new WebSocket(url);
    this.ws.on('error', () => undefined);
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
    this.closed = new Promise((resolve) => this.ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    this.ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      let frame: Frame;
      try {
        frame = JSON.parse(text);
      } catch {
        frame = text;
      }
      this.received.push(frame);
      this.waiters.forEach((wake) => wake());
    });
    this.ws.on('close', () => this.waiters.forEach((wake) => wake()));
  }

  static async open(url: string): Promise<TestClient> {
    const client = new TestClient(url);
    await client.opened;
    return client;
  }

  send(frame: Frame): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Removes and returns the first queued frame matching `predicate`, waiting up to `timeoutMs` for it. */
  next(predicate: (frame: Frame) => boolean = () => true, timeoutMs = 2000, what = 'a matching frame'): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const index = this.received.findIndex(predicate);
        if (index < 0) return false;
        const [frame] = this.received.splice(index, 1);
        finish();
        resolve(frame);
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; queued: ${JSON.stringify(this.received).slice(0, 2000)}`));
      }, timeoutMs);
      const wake = (): void => void check();
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== wake);
      };
      if (!check()) this.waiters.push(wake);
    });
  }

  /** Sends a request and resolves with the reply carrying its id. */
  async call(method: string, params: Record<string, unknown> | undefined, id: string | number = nextId()): Promise<Record<string, Loose>> {
    this.send(params === undefined ? { jsonrpc: '2.0', method, id } : { jsonrpc: '2.0', method, params, id });
    return (await this.next((f) => isReplyTo(f, id), 2000, `the reply to ${method} #${id}`)) as Record<string, Loose>;
  }

  /** Next server request (a frame with `method`), optionally of one method. */
  async request(method?: string, timeoutMs = 2000): Promise<Record<string, Loose>> {
    return (await this.next((f) => isRecord(f) && typeof f.method === 'string' && (!method || f.method === method), timeoutMs, `a ${method ?? 'server'} request`)) as Record<string, Loose>;
  }

  /** Waits a bounded window and returns whatever arrived (for "nothing arrives" assertions; keep these short and few). */
  async quietFor(ms: number): Promise<Frame[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.received.splice(0);
  }

  close(): Promise<{ code: number; reason: string }> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(1000);
    return this.closed;
  }
}

let counter = 0;
export const nextId = (): string => `t-${++counter}`;
export const isRecord = (v: unknown): v is Record<string, Loose> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isReplyTo = (f: Frame, id: unknown): boolean => isRecord(f) && !('method' in f) && f.id === id;
