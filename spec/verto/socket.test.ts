import { map, retry, type Observable, type Subscription } from 'rxjs';
import { SocketClosedError } from '../../src/verto/errors';
import { socket$, type SocketEvent, type WebSocketCtor, type WebSocketLike } from '../../src/verto/socket';
import { FakeVertoServer } from './fake-verto-server';
import { marbles } from 'rxjs-marbles/jest';

/** What the far end does to one connection: open it, send a text frame, or close it (1006). */
type ServerAction = 'open' | 'frame' | 'close';

/**
 * A WebSocket whose connection is a subscription to the test's server script: it subscribes when
 * constructed and unsubscribes when either side closes, so `toHaveSubscriptions` on the script
 * shows exactly how long each real socket would have lived. `closes` records client-side closes.
 */
function scriptedSocket(script$: Observable<ServerAction>, closes: number[]): WebSocketCtor {
  return class implements WebSocketLike {
    readyState = 0;
    private readonly listeners = new Map<string, Set<(e: Event) => void>>();
    private readonly connection: Subscription;
    constructor() {
      this.connection = script$.subscribe((action) => {
        if (action === 'open') this.readyState = 1;
        if (action === 'close') this.readyState = 3;
        const event = action === 'frame' ? new MessageEvent('message', { data: 'text' }) : action === 'open' ? new Event('open') : new CloseEvent('close', { code: 1006 });
        for (const l of [...(this.listeners.get(event.type) ?? [])]) l(event);
        if (action === 'close') this.connection.unsubscribe();
      });
    }
    addEventListener(type: string, l: (e: Event) => void) {
      this.listeners.set(type, (this.listeners.get(type) ?? new Set()).add(l));
    }
    removeEventListener(type: string, l: (e: Event) => void) {
      this.listeners.get(type)?.delete(l);
    }
    send() {}
    close(code?: number) {
      closes.push(code ?? 0);
      this.readyState = 3;
      this.connection.unsubscribe();
    }
  };
}
const kinds = (events$: Observable<SocketEvent>) => events$.pipe(map((e) => (e.kind === 'open' ? 'o' : 'f')));
const ACTIONS = { o: 'open', f: 'frame', c: 'close' } as const;

// prettier-ignore
describe('socket$', () => {
  it('opens per subscription, emits text frames, errors on every close with its code', marbles((m) => {
    const server = new FakeVertoServer(m);
    const events: string[] = [];
    let error: unknown;
    socket$('ws://x', server.ctor).subscribe({
      next: (e: SocketEvent) => events.push(e.kind === 'frame' ? `frame ${e.text}` : 'open'),
      error: (e: unknown) => (error = e),
    });
    m.scheduler.schedule(() => server.last.message('hello'), 5);
    m.scheduler.schedule(() => server.last.serverClose(1000, 'bye'), 6);
    m.flush();
    expect(events).toEqual(['open', 'frame hello']);
    expect(error).toEqual(new SocketClosedError(1000, 'bye'));
    expect(server.last.listenerCount()).toBe(0);
  }));

  it('closes with 1000 on unsubscribe and does not send when not open', marbles((m) => {
    const server = new FakeVertoServer(m);
    let send: (t: string) => void = () => undefined;
    const sub = socket$('ws://x', server.ctor).subscribe((e) => { if (e.kind === 'open') send = e.send; });
    m.flush();
    sub.unsubscribe();
    expect(server.last.closedByClient).toEqual({ code: 1000 });
    expect(() => send('{"jsonrpc":"2.0"}')).not.toThrow();    // closed: silently not sent
    expect(server.last.sent).toEqual([]);
  }));

  it('ignores binary frames', marbles((m) => {
    const server = new FakeVertoServer(m);
    const kinds: string[] = [];
    socket$('ws://x', server.ctor).subscribe((e) => kinds.push(e.kind));
    m.scheduler.schedule(() => {
      const ws = server.last;
      (ws as unknown as { emit(type: string, e: Event): void }).emit('message', new MessageEvent('message', { data: new ArrayBuffer(2) }));
    }, 3);
    m.flush();
    expect(kinds).toEqual(['open']);
  }));

  it('lives exactly as long as its subscription: unsubscribing closes it with 1000', marbles((m) => {
    const closes: number[] = [];
    const server$ = m.cold<ServerAction>('-o-f-f-f', ACTIONS);
    const unsub = '                        ^----!';
    m.expect(kinds(socket$('ws://x', scriptedSocket(server$, closes))), unsub).toBeObservable('-o-f-', { o: 'o', f: 'f' });
    m.expect(server$).toHaveSubscriptions('^----!');
    m.flush();
    expect(closes).toEqual([1000]);
  }));

  it('closes a socket that is still connecting when unsubscribed', marbles((m) => {
    const closes: number[] = [];
    const server$ = m.cold<ServerAction>('----o', ACTIONS);
    m.expect(kinds(socket$('ws://x', scriptedSocket(server$, closes))), '^-!').toBeObservable('---');
    m.expect(server$).toHaveSubscriptions('^-!');
    m.flush();
    expect(closes).toEqual([1000]);
  }));

  it('a server close ends it with an error and nothing left to close', marbles((m) => {
    const closes: number[] = [];
    const server$ = m.cold<ServerAction>('-o-c', ACTIONS);
    m.expect(kinds(socket$('ws://x', scriptedSocket(server$, closes)))).toBeObservable('-o-#', { o: 'o' }, new SocketClosedError(1006, ''));
    m.expect(server$).toHaveSubscriptions('^--!');
    m.flush();
    expect(closes).toEqual([]);
  }));

  it('makes a new socket per subscription, so a retry never reuses a dead one', marbles((m) => {
    const closes: number[] = [];
    const server$ = m.cold<ServerAction>('-o-c', ACTIONS);
    m.expect(kinds(socket$('ws://x', scriptedSocket(server$, closes)).pipe(retry(2)))).toBeObservable('-o--o--o-#', { o: 'o' }, new SocketClosedError(1006, ''));
    m.expect(server$).toHaveSubscriptions(['^--!', '---^--!', '------^--!']);
  }));
});
