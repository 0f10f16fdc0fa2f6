import { NEVER } from 'rxjs';
import { marbles, type Context } from 'rxjs-marbles/jest';
import { LoginFailedError, PuntedError, RpcTimeoutError, SocketClosedError, isTerminal } from '../../src/verto/errors';
import { Outbox } from '../../src/verto/outbox';
import { session$, type SessionDeps, type SessionEvent } from '../../src/verto/session';
import type { SocketEvent } from '../../src/verto/socket';
import { silentLogger } from '../support/silent-logger';

const TIMINGS = { requestTimeoutMs: 50, clientReadyTimeoutMs: 20, pingTimeoutMs: 10, outboxMaxAgeMs: 1000 };

/** One connection's dependencies in virtual time; `sent` is "<ms> <method> <id>" for every frame the session wrote. */
function setup(m: Context, over: Partial<SessionDeps> = {}) {
  const sent: string[] = [];
  const warnings: string[] = [];
  let ids = 0;
  const deps: SessionDeps = {
    options: { url: 'ws://test/verto', channelId: 'chan-1', login: 'me', password: 'secret' },
    timings: TIMINGS,
    logger: { ...silentLogger, warn: (message: string) => void warnings.push(message) },
    random: () => 0.5, // keepalive after 45 s: outside every story here
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
    visible$: NEVER,
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
    outbox.push({ to: 'bo', message: { peerAction: 'offer', callId: 'c-1' }, queuedAt: 0 });
    const { deps, open, sent } = setup(m, { outbox });
    // Login vp-1; the queued msg goes out as vp-2 once logged in (2 ms) and is never answered.
    const socket$ = m.cold<SocketEvent>('-olrsb', { o: open, l: result('vp-1'), r: clientReady, s: result('vp-3'), b: result('vp-4') });
    m.expect(session$(socket$, deps)).toBeObservable('----s 47ms #', { s: subscribed }, new RpcTimeoutError('verto.info'));
    m.expect(socket$).toHaveSubscriptions('^ 51ms !');
    m.flush();
    expect(sent).toEqual(['1 login vp-1', '2 verto.info vp-2', '3 verto.subscribe vp-3', '4 verto.broadcast vp-4']);
  }));

  it('a fire-and-forget verto.broadcast that times out ends the connection too', marbles((m) => {
    const { deps, open } = setup(m);
    const socket$ = m.cold<SocketEvent>('-olrs', { o: open, l: result('vp-1'), r: clientReady, s: result('vp-2') });
    m.expect(session$(socket$, deps)).toBeObservable('----s 49ms #', { s: subscribed }, new RpcTimeoutError('verto.broadcast'));
    m.expect(socket$).toHaveSubscriptions('^ 53ms !');
  }));

  it('a fire-and-forget request refused with an error reply is a warning, and the connection goes on', marbles((m) => {
    const outbox = new Outbox(TIMINGS.outboxMaxAgeMs, 10);
    outbox.push({ to: 'bo', message: { peerAction: 'offer', callId: 'c-1' }, queuedAt: 0 });
    const { deps, open, warnings } = setup(m, { outbox });
    const refusedInfo = frame({ id: 'vp-2', error: { message: 'INVALID MESSAGE to and body params required' } });
    const socket$ = m.cold<SocketEvent>('-olxrsb', { o: open, l: result('vp-1'), x: refusedInfo, r: clientReady, s: result('vp-3'), b: result('vp-4') });
    const unsub = '                     ^ 99ms !';
    m.expect(session$(socket$, deps), unsub).toBeObservable('-----s', { s: subscribed });
    m.expect(socket$).toHaveSubscriptions('^ 99ms !');
    m.flush();
    expect(warnings).toEqual(['verto.info failed: INVALID MESSAGE to and body params required']);
  }));
});
