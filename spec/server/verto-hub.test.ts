import { createServerEvents } from '../../server/server-events';
import { silentLogger } from '../../server/logger';
import { SessionHandle, VertoHub, VertoSocket } from '../../server/verto-hub';
import { A, B, C1, fixtureStore, X } from './support/fixture-users';
import { Loose } from './support/test-client';

/** A socket the hub writes to; the test plays the transport and reports the close back. */
class FakeSocket implements VertoSocket {
  isOpen = true;
  readonly frames: Loose[] = [];
  closedWith?: number;
  send(text: string): void {
    this.frames.push(JSON.parse(text));
  }
  close(code: number): void {
    this.isOpen = false;
    this.closedWith = code;
  }
  take(method: string): Loose[] {
    return this.frames.filter((f) => f.method === method);
  }
}

const EMPTY = { sessions: 0, sessids: 0, logins: 0, channels: 0 };

describe('the hub over abstract sockets: every way a session ends leaves the registry empty', () => {
  let hub: VertoHub;
  const events = createServerEvents();
  const open = (): { socket: FakeSocket; handle: SessionHandle } => {
    const socket = new FakeSocket();
    return { socket, handle: hub.connect(socket, 'test') };
  };
  const rpc = (handle: SessionHandle, method: string, params: Record<string, unknown>, id = method): void =>
    handle.onText(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
  const login = (handle: SessionHandle, user: typeof A, sessid: string): void => rpc(handle, 'login', { login: user.id, passwd: user.password, sessid });

  beforeEach(() => {
    jest.useFakeTimers();
    hub = new VertoHub({
      domain: 'localhost',
      forceRegisterDomain: true,
      directory: fixtureStore(),
      logger: silentLogger,
      events,
      timing: { clientReadyMs: 1, eventDelayMs: 1, closeAfterMs: 1, serverPingMs: 30_000 },
      relay: { policy: 'same-channel', delayMs: 1, jitterMs: 0 },
      limits: { rateLimit: { burst: 5, perSecond: 1 } },
    });
  });
  afterEach(() => {
    hub.shutdown();
    jest.useRealTimers();
  });

  it('a subscribed session that closes: no more broadcasts or msgs reach it, nothing is left', () => {
    const a = open();
    const b = open();
    login(a.handle, A, 'sa');
    login(b.handle, B, 'sb');
    rpc(a.handle, 'verto.subscribe', { eventChannel: C1 });
    rpc(b.handle, 'verto.subscribe', { eventChannel: C1 });
    expect(hub.sizes()).toEqual({ sessions: 2, sessids: 2, logins: 2, channels: 1 });
    b.handle.onClose(1000);
    // The transport closes the socket only after the hub heard of it; a broadcast must not reach b any more.
    rpc(a.handle, 'verto.broadcast', { eventChannel: C1, localBroadcast: true, eventData: 'eA==' });
    rpc(a.handle, 'verto.info', { msg: { to: B.id, body: 'eA==' } });
    const relayed: number[] = [];
    events.on('relayed', (e) => relayed.push(e.deliveries));
    jest.advanceTimersByTime(10);
    events.removeAllListeners('relayed');
    expect(b.socket.take('verto.event')).toEqual([]);
    expect(b.socket.take('verto.info')).toEqual([]);
    expect(relayed).toEqual([0]);
    expect(a.socket.take('verto.event')).toHaveLength(1);
    a.handle.onClose(1000);
    expect(hub.sizes()).toEqual(EMPTY);
  });

  it('a punted session (sessid reused) and its successor: both leave, and the successor keeps the sessid until then', () => {
    const first = open();
    const second = open();
    login(first.handle, A, 'shared');
    rpc(first.handle, 'verto.subscribe', { eventChannel: C1 });
    login(second.handle, A, 'shared');
    expect(first.socket.take('verto.punt')).toHaveLength(1);
    expect(hub.sizes()).toEqual({ sessions: 1, sessids: 1, logins: 1, channels: 0 });
    jest.advanceTimersByTime(5);
    expect(first.socket.closedWith).toBe(1000);
    first.handle.onClose(1000);
    rpc(second.handle, 'verto.ping', {}, 'p');
    expect(second.socket.frames.find((f) => f.id === 'p').result.sessid).toBe('shared');
    second.handle.onClose(1000);
    expect(hub.sizes()).toEqual(EMPTY);
  });

  it('a socket refused with Session in use, one over the rate limit and one that logged in as another user: nothing is left', () => {
    const holder = open();
    login(holder.handle, A, 'taken');
    const intruder = open();
    login(intruder.handle, B, 'taken');
    expect(intruder.socket.frames.at(-1).error.message).toBe('Session in use');
    const flood = open();
    login(flood.handle, B, 'flood');
    rpc(flood.handle, 'verto.subscribe', { eventChannel: C1 });
    for (let i = 0; i < 10; i += 1) rpc(flood.handle, 'verto.ping', {});
    expect(flood.socket.closedWith).toBe(1008);
    expect(hub.sizes()).toEqual({ sessions: 1, sessids: 1, logins: 1, channels: 0 });
    rpc(holder.handle, 'verto.subscribe', { eventChannel: C1 });
    login(holder.handle, B, 'ignored');
    expect(hub.sizes()).toEqual({ sessions: 1, sessids: 1, logins: 1, channels: 1 });
    for (const s of [holder, intruder, flood]) s.handle.onClose(1006);
    expect(hub.sizes()).toEqual(EMPTY);
  });

  it('names a msg’s sender as it was when sent, even when the socket logs in as another user before the relay delivers it', () => {
    const a = open();
    const b = open();
    login(a.handle, A, 'sa');
    login(b.handle, B, 'sb');
    rpc(a.handle, 'verto.info', { msg: { to: B.id, body: 'aGk=' } });
    login(a.handle, X, 'ignored');
    jest.advanceTimersByTime(10);
    expect(b.socket.take('verto.info').map((f) => f.params.msg.from)).toEqual([`${A.id}@localhost`]);
    a.handle.onClose(1000);
    b.handle.onClose(1000);
  });
});
