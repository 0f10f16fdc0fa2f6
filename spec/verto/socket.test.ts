import { SocketClosedError } from '../../src/verto/errors';
import { socket$, type SocketEvent } from '../../src/verto/socket';
import { FakeVertoServer } from './fake-verto-server';
import { marbles } from 'rxjs-marbles/jest';

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
});
