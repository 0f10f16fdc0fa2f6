import { catchError, NEVER } from 'rxjs';
import { marbles, type Context } from 'rxjs-marbles/jest';
import { ConnectTimeoutError, LoginFailedError, PuntedError, RpcTimeoutError, SocketClosedError, isTerminal } from '../../src/verto/errors';
import { Outbox } from '../../src/verto/outbox';
import { RecentIds } from '../../src/verto/recent-ids';
import { session$, type SessionDeps, type SessionEvent } from '../../src/verto/session';
import type { SocketEvent } from '../../src/verto/socket';
import { silentLogger } from '../support/silent-logger';

const TIMINGS = { connectTimeoutMs: 30, requestTimeoutMs: 50, clientReadyTimeoutMs: 20, pingTimeoutMs: 10, outboxMaxAgeMs: 1000 };

/** One connection's dependencies in virtual time; `sent` is "<ms> <method> <id>" for every frame the session wrote. */
function setup(m: Context, over: Partial<SessionDeps> = {}) {
  const sent: string[] = [];
  const warnings: string[] = [];
  let ids = 0;
  const deps: SessionDeps = {
    options: { url: 'ws://test/verto', channelId: 'chan-1', login: 'me', password: 'secret' },
    timings: TIMINGS,
    logger: { ...silentLogger, warn: (message: string) => void warnings.push(message) },
    random: () => 0.5, // heartbeat after 9 s idle: outside every story here
    now: () => m.scheduler.now(),
    nextId: () => `vp-${++ids}`,
    sessid: () => 'sess-1',
    page: { since: 0, id: 'page-1' },
    setStatus: () => undefined,
    onLoggedIn: () => undefined,
    latestPresence: () => undefined,
    presenceChanged$: NEVER,
    outbox: new Outbox(TIMINGS.outboxMaxAgeMs, 10),
    outboxChanged$: NEVER,
    recentIds: new RecentIds(8, 8),
    inCall: () => false,
    inCallChanged$: NEVER,
    checkNow$: NEVER,
    leaving$: NEVER,
    ...over,
  };
  const open: SocketEvent = {
    kind: 'open',
    send: (text) => {
      const frame = JSON.parse(text) as { id: string; method: string };
      sent.push(`${m.scheduler.now()} ${frame.method} ${frame.id}`);
    },
  };
  return { deps, sent, warnings, open };
}

const frame = (value: object): SocketEvent => ({ kind: 'frame', text: JSON.stringify({ jsonrpc: '2.0', ...value }) });
const result = (id: string, body: object = {}) => frame({ id, result: { ...body, sessid: 'sess-1' } });
const clientReady = frame({ id: 1001, method: 'verto.clientReady', params: { reattached_sessions: [] } });
const subscribed: SessionEvent = { kind: 'subscribed' };

// prettier-ignore
describe('session$: one connection, one socket subscription', () => {
  it('shares one subscription to the socket across login, subscribe, keepalive and inbound, and ends with the socket', marbles((m) => {
    const { deps, open, sent } = setup(m);
    const socket$ = m.cold<SocketEvent>('-olrs---#', { o: open, l: result('vp-1'), r: clientReady, s: result('vp-2') }, new SocketClosedError(1006, ''));
    const subs = '                       ^-------!';
    const expected = '                   ----s---#';
    m.expect(session$(socket$, deps)).toBeObservable(expected, { s: subscribed }, new SocketClosedError(1006, ''));
    m.expect(socket$).toHaveSubscriptions(subs);
    m.flush();
    expect(sent).toEqual(['1 login vp-1', '3 verto.subscribe vp-2', '4 verto.broadcast vp-3']);
  }));

  it('releases the socket when the client unsubscribes (disconnect)', marbles((m) => {
    const { deps, open } = setup(m);
    const socket$ = m.cold<SocketEvent>('-olrs', { o: open, l: result('vp-1'), r: clientReady, s: result('vp-2') });
    const unsub = '                     ^-----!';
    const subs = '                       ^-----!';
    m.expect(session$(socket$, deps), unsub).toBeObservable('----s', { s: subscribed });
    m.expect(socket$).toHaveSubscriptions(subs);
  }));

  it('releases the socket at once when punted', marbles((m) => {
    const { deps, open } = setup(m);
    const punt = frame({ id: 1002, method: 'verto.punt', params: {} });
    const socket$ = m.cold<SocketEvent>('-olrsp', { o: open, l: result('vp-1'), r: clientReady, s: result('vp-2'), p: punt });
    m.expect(session$(socket$, deps)).toBeObservable('----s#', { s: subscribed }, new PuntedError());
    m.expect(socket$).toHaveSubscriptions('^----!');
  }));

  it('ends with a terminal error, releasing the socket, when the login is refused', marbles((m) => {
    const { deps, open, sent } = setup(m);
    const refused = frame({ id: 'vp-1', error: { code: -32001, message: 'Authentication Failure' } });
    const socket$ = m.cold<SocketEvent>('-ox', { o: open, x: refused });
    m.expect(session$(socket$, deps)).toBeObservable('--#', undefined, new LoginFailedError('Authentication Failure'));
    m.expect(socket$).toHaveSubscriptions('^-!');
    m.flush();
    expect(sent).toEqual(['1 login vp-1']);   // nothing but login before logging in
  }));

  it('ends with a retryable ConnectTimeoutError, releasing the socket, when the socket does not open in time', marbles((m) => {
    const { deps } = setup(m);
    const socket$ = m.cold<SocketEvent>('-');
    const error = new ConnectTimeoutError(30);
    m.expect(session$(socket$, deps)).toBeObservable('30ms #', undefined, error);
    m.expect(socket$).toHaveSubscriptions('^ 29ms !');
    m.flush();
    expect(isTerminal(error)).toBe(false);
  }));

  it('ends with a retryable timeout when the login is never answered', marbles((m) => {
    const { deps, open } = setup(m);
    const socket$ = m.cold<SocketEvent>('-o', { o: open });
    m.expect(session$(socket$, deps)).toBeObservable('- 50ms #', undefined, new RpcTimeoutError('login'));
    m.expect(socket$).toHaveSubscriptions('^ 50ms !');
  }));
});

// prettier-ignore
describe('session$: how requests fail', () => {
  it('a refused subscribe is terminal ("not allowed in this channel"), so the client does not retry it forever', marbles((m) => {
    const { deps, open } = setup(m);
    // FreeSWITCH refuses a channel outside the allow-list with a code-less error (docs/protocol.md#subscribe).
    const refused = frame({ id: 'vp-2', error: { unauthorizedChannels: ['chan-1'] } });
    const socket$ = m.cold<SocketEvent>('-olrx', { o: open, l: result('vp-1'), r: clientReady, x: refused });
    const error = new LoginFailedError('not allowed in this channel');
    m.expect(session$(socket$, deps)).toBeObservable('----#', undefined, error);
    m.expect(socket$).toHaveSubscriptions('^---!');
    m.flush();
    expect(isTerminal(error)).toBe(true);
  }));

  it('a fire-and-forget verto.info that times out ends the connection (the socket is dead), releasing the socket', marbles((m) => {
    const outbox = new Outbox(TIMINGS.outboxMaxAgeMs, 10);
    outbox.push({ to: 'bo', message: { peerAction: 'offer', callId: 'c-1' }, queuedAt: 0, id: 'p.1' });
    const { deps, open, sent } = setup(m, { outbox });
    // Login vp-1; the queued msg goes out as vp-2 once logged in (2 ms) and is never answered.
    const socket$ = m.cold<SocketEvent>('-olrsb', { o: open, l: result('vp-1'), r: clientReady, s: result('vp-3'), b: result('vp-4') });
    m.expect(session$(socket$, deps)).toBeObservable('----s 47ms #', { s: subscribed }, new RpcTimeoutError('verto.info'));
    m.expect(socket$).toHaveSubscriptions('^ 51ms !');
    m.flush();
    expect(sent).toEqual(['1 login vp-1', '2 verto.info vp-2', '3 verto.subscribe vp-3', '4 verto.broadcast vp-4']);
    expect(outbox.size).toBe(1);                             // kept for the next connection
  }));

  it('a message the dying socket took without a reply goes out again, once, right after the next login', marbles((m) => {
    const outbox = new Outbox(TIMINGS.outboxMaxAgeMs, 10);
    outbox.push({ to: 'bo', message: { peerAction: 'offer', callId: 'c-1' }, queuedAt: 0, id: 'p.1' });
    const { deps, open, sent } = setup(m, { outbox });
    // First socket: the msg goes out as vp-2 at 2, the socket dies at 4 before its reply.
    const first$ = m.cold<SocketEvent>('-ol-#', { o: open, l: result('vp-1') }, new SocketClosedError(1006, ''));
    // Second socket (from 4): login vp-3 at 5, the msg again as vp-4 at 6, answered at 9.
    const second$ = m.cold<SocketEvent>('-olrsi', { o: open, l: result('vp-3'), r: clientReady, s: result('vp-5'), i: result('vp-4') });
    const both$ = session$(first$, deps).pipe(catchError(() => session$(second$, deps)));
    m.expect(both$, '^ 20ms !').toBeObservable('--------s', { s: subscribed });
    m.flush();
    expect(sent).toEqual(['1 login vp-1', '2 verto.info vp-2', '5 login vp-3', '6 verto.info vp-4', '7 verto.subscribe vp-5', '8 verto.broadcast vp-6']);
    expect(outbox.size).toBe(0);                             // acknowledged: never sent again
  }));

  it('drops a repeated peer message (same sender, same id), passing the first on without its id', marbles((m) => {
    const { deps, open } = setup(m);
    const info = (from: string, id: string) => frame({ id: 2000, method: 'verto.info', params: { msg: { from, to: 'me', body: Buffer.from(JSON.stringify({ peerStatus: 'available', peerMsgId: id })).toString('base64') } } });
    const socket$ = m.cold<SocketEvent>('-olabcd', { o: open, l: result('vp-1'), a: info('bo', 'x.1'), b: info('bo', 'x.1'), c: info('cy', 'x.1'), d: info('bo', 'x.2') });
    const peer = (from: string): SessionEvent => ({ kind: 'peer', envelope: { from, message: { peerStatus: 'available' } } });
    m.expect(session$(socket$, deps), '^ 20ms !').toBeObservable('---a-cd', { a: peer('bo'), c: peer('cy'), d: peer('bo') });
  }));

  it('a fire-and-forget verto.broadcast that times out ends the connection too', marbles((m) => {
    const { deps, open } = setup(m);
    const socket$ = m.cold<SocketEvent>('-olrs', { o: open, l: result('vp-1'), r: clientReady, s: result('vp-2') });
    m.expect(session$(socket$, deps)).toBeObservable('----s 49ms #', { s: subscribed }, new RpcTimeoutError('verto.broadcast'));
    m.expect(socket$).toHaveSubscriptions('^ 53ms !');
  }));

  it('a fire-and-forget request refused with an error reply is a warning, and the connection goes on', marbles((m) => {
    const outbox = new Outbox(TIMINGS.outboxMaxAgeMs, 10);
    outbox.push({ to: 'bo', message: { peerAction: 'offer', callId: 'c-1' }, queuedAt: 0, id: 'p.1' });
    const { deps, open, warnings } = setup(m, { outbox });
    const refusedInfo = frame({ id: 'vp-2', error: { message: 'INVALID MESSAGE to and body params required' } });
    const socket$ = m.cold<SocketEvent>('-olxrsb', { o: open, l: result('vp-1'), x: refusedInfo, r: clientReady, s: result('vp-3'), b: result('vp-4') });
    const unsub = '                     ^ 99ms !';
    m.expect(session$(socket$, deps), unsub).toBeObservable('-----s', { s: subscribed });
    m.expect(socket$).toHaveSubscriptions('^ 99ms !');
    m.flush();
    expect(warnings).toEqual(['verto.info failed: INVALID MESSAGE to and body params required']);
    expect(outbox.size).toBe(0);                             // answered, so settled: not sent again
  }));
});
