import { map, NEVER, type Observable } from 'rxjs';
import { marbles, type Context } from 'rxjs-marbles/jest';
import type { ClientStatus } from '../../src/verto/client-types';
import { createVertoClient, DEFAULT_TIMINGS, type VertoClientDeps } from '../../src/verto/client';
import type { Logger } from '../../src/log';
import { silentLogger } from '../support/silent-logger';
import { b64, FakeVertoServer } from './fake-verto-server';

const OPTIONS = { url: 'ws://test/verto', channelId: 'chan-1', login: 'me', password: 'secret' };

function setup(m: Context, overrides: Partial<VertoClientDeps> = {}, stored: [string, string][] = []) {
  const server = new FakeVertoServer(m);
  const store = new Map<string, string>(stored);
  const logs: string[] = [];
  const logger: Logger = {
    debug: (msg) => logs.push(`debug ${msg}`),
    info: (msg) => logs.push(`info ${msg}`),
    warn: (msg) => logs.push(`warn ${msg}`),
    error: (msg) => logs.push(`error ${msg}`),
  };
  let uuids = 0;
  const client = createVertoClient(OPTIONS, {
    WebSocketCtor: server.ctor,
    storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) },
    random: () => 0.5,
    uuid: () => `uuid-${++uuids}`,
    logger,
    online$: NEVER,
    visible$: NEVER,
    timings: DEFAULT_TIMINGS,
    ...overrides,
  });
  return { server, client, logs, store };
}

/** One letter per status kind, for marble diagrams. */
const LETTER: Record<ClientStatus['kind'], string> = {
  connecting: 'c',
  'logging-in': 'l',
  online: 'o',
  reconnecting: 'r',
  'login-failed': 'f',
  punted: 'p',
  closed: 'x',
};
const letters = (status$: Observable<ClientStatus>) => status$.pipe(map((s) => LETTER[s.kind]));

/** Records what a stream emits as "<virtual ms> <text>" lines, for stories too dense for one marble line. */
function record<T>(m: Context, source$: Observable<T>, describe: (value: T) => string): string[] {
  const lines: string[] = [];
  source$.subscribe({ next: (v) => lines.push(`${m.scheduler.now()} ${describe(v)}`), complete: () => lines.push(`${m.scheduler.now()} |`) });
  return lines;
}

const presenceFrom = (userid: string, body: unknown, channel = 'chan-1') => ({
  eventChannel: channel,
  localBroadcast: true,
  eventData: typeof body === 'string' ? body : b64(body),
  userid,
  sessid: 'their-sessid',
  eventSerno: 3,
  subscribedChannel: channel,
});

// prettier-ignore
describe('verto client: connection chain', () => {
  it('connects, logs in, subscribes on clientReady, publishes ready, and says gone on disconnect', marbles((m) => {
    const { server, client } = setup(m);
    client.publishPresence({ status: 'available', name: 'Ann' });
    client.connect();
    m.scheduler.schedule(() => client.disconnect(), 100);

    //                                       socket open at 1, login reply 2, clientReady 3, subscribe reply 4
    m.expect(letters(client.status$)).toBeObservable('cl--o 95ms (x|)');
    m.expect(client.subscribed$).toBeObservable('    ----s 95ms |', { s: undefined });
    m.flush();
    expect(server.log).toEqual([
      '0 connect',
      '1 login',                       // nothing but login until logged in
      '3 verto.subscribe',
      '4 verto.broadcast ready',
      '100 verto.broadcast gone',
    ]);
    const [login, subscribe, ready] = server.last.sent;
    expect(login.params).toEqual({ login: 'me', passwd: 'secret', sessid: 'uuid-1' });
    expect(subscribe.params).toEqual({ eventChannel: 'chan-1', sessid: 'uuid-1' });
    expect(ready.params).toEqual({ sessid: 'uuid-1', localBroadcast: true, eventChannel: 'chan-1', eventData: b64({ peerStatus: 'ready', peerName: 'Ann', peerPage: '0.uuid-2' }) });
    expect(typeof login.id).toBe('string');
    expect(server.last.closedByClient).toEqual({ code: 1000 });
    expect(server.last.listenerCount()).toBe(0);
  }));

  it('delivers other clients\' presence and filters its own broadcast by userid', marbles((m) => {
    const { server, client } = setup(m);
    client.connect();
    m.scheduler.schedule(() => server.push(server.last, 'verto.event', presenceFrom('other@localhost', { peerStatus: 'available', peerName: 'Bo' })), 10);
    // our own copy comes back at 6 (the fake server echoes localBroadcasts to the sender) and is dropped
    m.scheduler.schedule(() => server.push(server.last, 'verto.event', presenceFrom('me@localhost', { peerStatus: 'available' })), 12);
    m.scheduler.schedule(() => client.disconnect(), 20);
    m.expect(client.presence$).toBeObservable('10ms a 9ms |', { a: { from: 'other', status: 'available', name: 'Bo' } });
  }));

  it('routes by method: a server request whose id equals a pending request id is not taken as its reply', marbles((m) => {
    const { server, client } = setup(m);
    server.behaviour.loginDelay = 5;                         // login (sent at 1, id "vp-1") answered at 6
    client.connect();
    m.scheduler.schedule(() => server.last.message({ id: 'vp-1', method: 'verto.event', params: presenceFrom('other@x', { peerStatus: 'ready' }) }), 2);
    m.scheduler.schedule(() => server.last.message({ id: 1, result: { message: 'not yours' } }), 3);
    m.scheduler.schedule(() => client.disconnect(), 20);
    m.expect(letters(client.status$)).toBeObservable('cl------o 11ms (x|)');   // online only after the real reply
    m.expect(client.presence$).toBeObservable('       --a 17ms |', { a: { from: 'other', status: 'ready' } });
  }));

  it('drops every malformed frame with a debug log and still delivers the next valid one', marbles((m) => {
    const { server, client, logs } = setup(m);
    client.connect();
    const bad: unknown[] = [
      'not json {',
      '[1,2,3]',
      JSON.stringify({ jsonrpc: '1.0', method: 'verto.event', params: {} }),
      JSON.stringify({ jsonrpc: '2.0', method: 42 }),
      JSON.stringify({ jsonrpc: '2.0', id: 'nobody', result: {} }),
      JSON.stringify({ jsonrpc: '2.0', method: 'verto.event', params: presenceFrom('x@y', '!!!not-base64') }),
      JSON.stringify({ jsonrpc: '2.0', method: 'verto.event', params: presenceFrom('x@y', b64([1, 2])) }),
      JSON.stringify({ jsonrpc: '2.0', method: 'verto.event', params: presenceFrom('x@y', { peerStatus: 'dancing' }) }),
      JSON.stringify({ jsonrpc: '2.0', method: 'verto.event', params: presenceFrom('x@y', { peerStatus: 'ready' }, 'other-channel') }),
      JSON.stringify({ jsonrpc: '2.0', method: 'verto.event', params: { eventChannel: 'chan-1', eventData: b64({ peerStatus: 'ready' }) } }),
      JSON.stringify({ jsonrpc: '2.0', method: 'verto.info', params: { msg: { from: 'x', to: 'me', body: Buffer.from([0xff, 0xfe]).toString('base64') } } }),
      JSON.stringify({ jsonrpc: '2.0', method: 'verto.info', params: { msg: { from: 'x', to: 'someone-else', body: b64({ a: 1 }) } } }),
      JSON.stringify({ jsonrpc: '2.0', method: 'verto.invite', params: {} }),
      JSON.stringify({ jsonrpc: '2.0', method: 'verto.event', params: presenceFrom('x@y', 'A'.repeat(70_000)) }),
      'x'.repeat(1_000_001),
    ];
    bad.forEach((frame, i) => m.scheduler.schedule(() => server.last.message(frame as string), 10 + i));
    m.scheduler.schedule(() => server.push(server.last, 'verto.event', presenceFrom('other@localhost', { peerStatus: 'gone' })), 40);
    m.scheduler.schedule(() => client.disconnect(), 50);
    m.expect(client.presence$).toBeObservable('40ms a 9ms |', { a: { from: 'other', status: 'gone' } });
    m.expect(letters(client.status$)).toBeObservable('cl--o 45ms (x|)');       // no reconnect either
    m.flush();
    expect(logs.filter((l) => l.startsWith('debug dropped') || l.startsWith('debug ignored'))).toHaveLength(bad.length - 1);
  }));
});

// prettier-ignore
describe('verto client: reconnecting', () => {
  it('retries every disconnection on the backoff schedule, then logs in and subscribes again', marbles((m) => {
    const { server, client } = setup(m);                     // random 0.5: jitter factor exactly 1
    server.behaviour.refuse = 4;                             // four attempts fail 1 ms after they start
    const statuses = record(m, client.status$, (s) => s.kind === 'reconnecting' ? `reconnecting #${s.attempt} at ${s.retryAt}` : s.kind);
    client.connect();
    m.scheduler.schedule(() => client.disconnect(), 3000);
    m.flush();
    expect(server.log).toEqual([
      '0 connect',                                           // fails at 1 → first retry at once
      '1 connect',                                           // fails at 2 → 250 ms
      '252 connect',                                         // fails at 253 → 500 ms
      '753 connect',                                         // fails at 754 → 500 ms (about every half second for 30 s)
      '1254 connect',
      '1255 login',
      '1257 verto.subscribe',
      '1258 verto.broadcast ready',
      '3000 verto.broadcast gone',
    ]);
    expect(statuses).toEqual([
      '0 connecting',
      '1 reconnecting #1 at 1', '1 connecting',
      '2 reconnecting #2 at 252', '252 connecting',
      '253 reconnecting #3 at 753', '753 connecting',
      '754 reconnecting #4 at 1254', '1254 connecting',
      '1255 logging-in', '1258 online',
      '3000 closed', '3000 |',
    ]);
  }));

  it('starts the schedule over once logged in, and re-runs the whole chain without duplicates', marbles((m) => {
    const { server, client } = setup(m);
    client.connect();
    m.scheduler.schedule(() => server.last.serverClose(1006), 50);           // drop after being online
    m.scheduler.schedule(() => server.push(server.last, 'verto.event', presenceFrom('other@localhost', { peerStatus: 'available' })), 100);
    m.scheduler.schedule(() => client.disconnect(), 200);
    m.expect(client.presence$).toBeObservable('100ms a 99ms |', { a: { from: 'other', status: 'available' } });   // once, not twice
    m.flush();
    expect(server.log.slice(0, 8)).toEqual([
      '0 connect', '1 login', '3 verto.subscribe', '4 verto.broadcast ready',
      '50 connect', '51 login', '53 verto.subscribe', '54 verto.broadcast ready',   // attempt #1 again: at once
    ]);
    expect(server.sockets[0].listenerCount()).toBe(0);
  }));

  it('keeps retrying about every half second for the first 60 s of an outage, then spaces retries by a quarter of it', marbles((m) => {
    const { server, client } = setup(m);
    client.connect();
    m.scheduler.schedule(() => {
      server.behaviour.refuse = 1000;                        // the server goes away at 10 s and never comes back
      server.last.serverClose(1006);
    }, 10_000);
    m.scheduler.schedule(() => client.disconnect(), 100_000);
    m.flush();
    const times = server.log.filter((l) => l.endsWith('connect')).map((l) => Number(l.split(' ')[0])).slice(1);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    const early = gaps.filter((_, i) => times[i] < 70_000);   // the outage's first 60 s
    const late = gaps.filter((_, i) => times[i] >= 70_000);
    expect(Math.max(...early)).toBeLessThanOrEqual(501);
    expect(late[0]).toBeGreaterThanOrEqual(15_000);          // a quarter of the ~60 s outage so far
    expect(times.length).toBeLessThan(140);
  }));

  it('retries at once when the browser comes back online', marbles((m) => {
    const { server, client } = setup(m, { online$: m.hot('300ms o') });
    server.behaviour.refuse = 3;
    client.connect();
    m.scheduler.schedule(() => client.disconnect(), 400);
    m.flush();
    expect(server.log.filter((l) => l.endsWith('connect'))).toEqual(['0 connect', '1 connect', '252 connect', '300 connect']);   // not 753
  }));

  it('stops retrying after a login error and shows the server\'s message', marbles((m) => {
    const { server, client } = setup(m);
    server.behaviour.loginErrors = [{ code: -32001, message: 'Authentication Failure' }];
    const statuses = record(m, client.status$, (s) => (s.kind === 'login-failed' ? `login-failed: ${s.message}` : s.kind));
    m.expect(client.presence$).toBeObservable('--|');
    client.connect();
    m.scheduler.schedule(() => undefined, 120_000);          // two minutes later: still one socket
    m.flush();
    expect(server.sockets).toHaveLength(1);
    expect(server.last.closedByClient).toEqual({ code: 1000 });
    expect(statuses).toEqual(['0 connecting', '1 logging-in', '2 login-failed: Authentication Failure']);
  }));

  it('stops retrying when the channel is refused at subscribe, instead of retrying it for ever', marbles((m) => {
    const { server, client } = setup(m);
    server.behaviour.subscribeError = { unauthorizedChannels: ['chan-1'] };   // FreeSWITCH's code-less refusal
    const statuses = record(m, client.status$, (s) => (s.kind === 'login-failed' ? `login-failed: ${s.message}` : s.kind));
    client.connect();
    m.scheduler.schedule(() => client.disconnect(), 120_000);             // bounds the story should it retry
    m.flush();
    expect(server.sockets).toHaveLength(1);
    expect(server.last.closedByClient).toEqual({ code: 1000 });
    expect(statuses).toEqual(['0 connecting', '1 logging-in', '4 login-failed: not allowed in this channel', '120000 |']);
  }));

  it('stops retrying when punted (signed in elsewhere)', marbles((m) => {
    const { server, client } = setup(m);
    client.connect();
    m.scheduler.schedule(() => server.push(server.last, 'verto.punt', {}), 10);
    m.scheduler.schedule(() => server.last.serverClose(1000), 60);
    m.scheduler.schedule(() => undefined, 120_000);
    m.expect(letters(client.status$)).toBeObservable('cl--o-----p');
    m.flush();
    expect(server.sockets).toHaveLength(1);
  }));

  it('takes a fresh session id when the server says the old one is in use', marbles((m) => {
    const { server, client, store } = setup(m);
    server.behaviour.loginErrors = [{ code: -32001, message: 'Session in use' }];
    client.connect();
    m.scheduler.schedule(() => client.disconnect(), 50);
    m.flush();
    const logins = server.sockets.map((s) => s.sent.find((f) => f.method === 'login')?.params?.sessid);
    expect(logins).toEqual(['uuid-1', 'uuid-3']);   // uuid-2 is the page's id
    expect(store.get('verto-peer:sessid:chan-1')).toBe('uuid-3');
    expect(server.log.slice(0, 6)).toEqual(['0 connect', '1 login', '2 connect', '3 login', '5 verto.subscribe', '6 verto.broadcast ready']);
  }));

  it('reuses the session id kept in storage, so a reload resumes the same session', marbles((m) => {
    const { server, client } = setup(m, {}, [['verto-peer:sessid:chan-1', 'kept-sessid']]);
    client.connect();
    m.scheduler.schedule(() => client.disconnect(), 10);
    m.flush();
    expect(server.last.sent[0].params?.sessid).toBe('kept-sessid');
  }));

  /** One short connection of a client built on the browser's own defaults except `overrides`; its server. */
  function briefConnection(m: Context, overrides: Partial<VertoClientDeps>) {
    const server = new FakeVertoServer(m);
    const client = createVertoClient(OPTIONS, { WebSocketCtor: server.ctor, logger: silentLogger, online$: NEVER, visible$: NEVER, ...overrides });
    client.connect();
    m.scheduler.schedule(() => client.disconnect(), 10);
    m.flush();
    return server;
  }

  it('still connects when sessionStorage is blocked, with a fresh session id', marbles((m) => {
    const blocked = jest.spyOn(window, 'sessionStorage', 'get').mockImplementation(() => {
      throw new DOMException('The operation is insecure.', 'SecurityError');
    });
    let server: FakeVertoServer;
    try {
      server = briefConnection(m, { uuid: () => 'fresh' });   // the browser's storage, which throws
    } finally {
      blocked.mockRestore();
    }
    expect(server.last.sent[0].params?.sessid).toBe('fresh');
    expect(server.log.slice(0, 3)).toEqual(['0 connect', '1 login', '3 verto.subscribe']);
  }));

  it('makes its session id a UUID v4 even where crypto.randomUUID is missing (a page that is not a secure context)', marbles((m) => {
    const store = new Map<string, string>();
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    let server: FakeVertoServer;
    try {
      server = briefConnection(m, { storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) } });   // the browser's uuid
    } finally {
      delete (crypto as { randomUUID?: unknown }).randomUUID;
    }
    expect(server.last.sent[0].params?.sessid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(store.get('verto-peer:sessid:chan-1')).toBe(server.last.sent[0].params?.sessid);
  }));
});

// prettier-ignore
describe('verto client: heartbeat and connect timeout', () => {
  it('idle: pings after 8–10 s of silence, and says the connection is lost when no reply comes within 3 s', marbles((m) => {
    const { server, client } = setup(m, { random: () => 0 });   // heartbeat 8 s exactly
    server.behaviour.answerPings = false;
    const statuses = record(m, client.status$, (s) => s.kind);
    client.connect();
    m.scheduler.schedule(() => client.disconnect(), 12_000);
    m.flush();
    // the last inbound frame is our own presence echo at 6
    expect(server.log.slice(4, 7)).toEqual(['8006 verto.ping', '11006 connect', '11007 login']);
    expect(statuses).toContain('11006 reconnecting');
  }));

  it('counts any reply — even an error — and any server frame (its own verto.ping) as liveness', marbles((m) => {
    const { server, client } = setup(m, { random: () => 0 });
    server.behaviour.answerPings = false;
    client.connect();
    m.scheduler.schedule(() => server.push(server.last, 'verto.ping', { serno: 1 }), 5_000);
    // our ping is vp-4 (login 1, subscribe 2, ready 3)
    m.scheduler.schedule(() => server.last.message({ id: 'vp-4', error: { code: -32601, message: 'Invalid Method' } }), 13_001);
    m.scheduler.schedule(() => client.disconnect(), 21_500);
    m.flush();
    expect(server.log.filter((l) => !l.includes('broadcast'))).toEqual([
      '0 connect', '1 login', '3 verto.subscribe',
      '13000 verto.ping',                                    // 8 s after the server's ping, not after 6
      '21001 verto.ping',                                    // 8 s after the -32601 reply, which kept it alive
    ]);
    expect(server.sockets).toHaveLength(1);
  }));

  it('in a call: pings after 4–6 s of silence, so a dead socket is replaced within ~7 s', marbles((m) => {
    const { server, client } = setup(m, { random: () => 0 });
    server.behaviour.answerPings = false;
    client.connect();
    m.scheduler.schedule(() => client.setInCall(true), 100);   // the wait starts over with the short period
    m.scheduler.schedule(() => client.disconnect(), 7_500);
    m.flush();
    expect(server.log.filter((l) => !l.includes('broadcast')).slice(3, 6)).toEqual(['4100 verto.ping', '7100 connect', '7101 login']);
  }));

  it('back to idle after the call: the long period again', marbles((m) => {
    const { server, client } = setup(m, { random: () => 0 });
    client.setInCall(true);
    client.connect();
    m.scheduler.schedule(() => client.setInCall(false), 1_000);
    m.scheduler.schedule(() => client.setInCall(false), 1_500);   // no change: no restart
    m.scheduler.schedule(() => client.disconnect(), 12_000);
    m.flush();
    expect(server.log.filter((l) => l.includes('ping'))).toEqual(['9000 verto.ping']);
  }));

  it('while a peer message waits for the server\'s reply, the short period applies', marbles((m) => {
    const { server, client } = setup(m, { random: () => 0 });
    server.behaviour.answerInfos = false;
    client.connect();
    m.scheduler.schedule(() => client.send('other', { peerAction: 'offer', callId: 'c1' }), 100);
    m.scheduler.schedule(() => client.disconnect(), 9_000);
    m.flush();
    expect(server.log.filter((l) => l.includes('ping'))).toEqual(['4100 verto.ping', '8101 verto.ping']);
  }));

  it('checks the socket at once when the page becomes visible or the browser comes online', marbles((m) => {
    const { server, client } = setup(m, { visible$: m.hot('100ms v'), online$: m.hot('200ms o') });
    client.connect();
    m.scheduler.schedule(() => client.disconnect(), 300);
    m.flush();
    expect(server.log.filter((l) => l.includes('ping'))).toEqual(['100 verto.ping', '200 verto.ping']);
  }));

  it('gives up on a socket that does not open within 3 s, closing it, and counts it as a failed attempt', marbles((m) => {
    const { server, client } = setup(m);
    server.behaviour.blackhole = 2;                          // the network drops the first two attempts' SYNs
    const statuses = record(m, client.status$, (s) => (s.kind === 'reconnecting' ? `reconnecting ${s.attempt} ${s.reason}` : s.kind));
    client.connect();
    m.scheduler.schedule(() => client.disconnect(), 7_000);
    m.flush();
    // attempt 1 waits 0 ms, attempt 2 250 ms (backoff.ts)
    expect(server.log.filter((l) => l.endsWith('connect'))).toEqual(['0 connect', '3000 connect', '6250 connect']);
    expect(statuses.slice(0, 5)).toEqual(['0 connecting', '3000 reconnecting 1 server not reachable', '3000 connecting', '6000 reconnecting 2 server not reachable', '6250 connecting']);
    expect(statuses).toContain('6254 online');
    expect(server.sockets[0].closedByClient).toEqual({ code: 1000 });
  }));
});

// prettier-ignore
describe('verto client: peer messages and presence', () => {
  it('sends peer messages as base64 verto.info msgs, queued until logged in', marbles((m) => {
    const { server, client } = setup(m);
    client.send('other', { peerAction: 'offer', peerName: 'Zoë 👋 Ünïcødé', callId: 'c1' });
    client.connect();
    m.scheduler.schedule(() => client.send('other', { peerAction: 'close', callId: 'c1' }), 10);
    m.scheduler.schedule(() => client.disconnect(), 20);
    m.flush();
    expect(server.log.filter((l) => l.includes('verto.info'))).toEqual([
      // right after the login reply; each with an id unique to this page (page id . counter)
      '2 verto.info to other {"peerAction":"offer","peerName":"Zoë 👋 Ünïcødé","callId":"c1","peerMsgId":"uuid-2.1"}',
      '10 verto.info to other {"peerAction":"close","callId":"c1","peerMsgId":"uuid-2.2"}',
    ]);
  }));

  it('decodes incoming msgs, comparing ids with the domain stripped', marbles((m) => {
    const { server, client } = setup(m);
    client.connect();
    const deliver = (from: string, to: string, body: unknown) => () =>
      server.push(server.last, 'verto.info', { msg: { from, to, body: b64(body) } });
    m.scheduler.schedule(deliver('other@localhost', 'me@localhost', { peerAction: 'accept', peerName: 'Bø 🎉' }), 10);
    m.scheduler.schedule(deliver('other', 'me', { peerStatus: 'available' }), 11);
    m.scheduler.schedule(deliver('other', 'not-me@localhost', { peerStatus: 'available' }), 12);
    m.scheduler.schedule(() => client.disconnect(), 20);
    m.expect(client.peerMessages$).toBeObservable('10ms ab 8ms |', {
      a: { from: 'other', message: { peerAction: 'accept', peerName: 'Bø 🎉' } },
      b: { from: 'other', message: { peerStatus: 'available' } },
    });
  }));

  it('drops queued messages that went stale during a long outage', marbles((m) => {
    const { server, client } = setup(m);
    server.behaviour.refuse = 45;                            // 0, 1, 252, 753, then every 501 ms: the 46th, at 21795, gets through
    client.send('other', { peerAction: 'candidate', callId: 'old' });      // older than 20 s by then
    m.scheduler.schedule(() => client.send('other', { peerAction: 'candidate', callId: 'fresh' }), 21_000);
    client.connect();
    m.scheduler.schedule(() => client.disconnect(), 40_000);
    m.flush();
    const infos = server.log.filter((l) => l.includes('verto.info'));
    expect(infos).toEqual(['21797 verto.info to other {"peerAction":"candidate","callId":"fresh","peerMsgId":"uuid-2.2"}']);
  }));

  it('re-sends a message the server did not acknowledge on the next connection, exactly once', marbles((m) => {
    const { server, client } = setup(m);
    server.behaviour.answerInfos = false;
    client.connect();
    m.scheduler.schedule(() => client.send('other', { peerAction: 'offer', callId: 'c1' }), 10);
    m.scheduler.schedule(() => {
      server.last.serverClose(1006);                        // the socket dies before the reply
      server.behaviour.answerInfos = true;
    }, 12);
    m.scheduler.schedule(() => server.last.serverClose(1006), 30);   // acknowledged by then: not sent again
    m.scheduler.schedule(() => client.disconnect(), 60);
    m.flush();
    expect(server.log.filter((l) => l.includes('login') || l.includes('verto.info'))).toEqual([
      '1 login',
      '10 verto.info to other {"peerAction":"offer","callId":"c1","peerMsgId":"uuid-2.1"}',
      '13 login',
      '14 verto.info to other {"peerAction":"offer","callId":"c1","peerMsgId":"uuid-2.1"}',   // right after re-login, same id
      '31 login',
    ]);
  }));

  it('does not re-send an unacknowledged message once it is older than the age limit', marbles((m) => {
    const { server, client } = setup(m);
    server.behaviour.answerInfos = false;
    client.connect();
    m.scheduler.schedule(() => client.send('other', { peerAction: 'offer', callId: 'c1' }), 10);
    m.scheduler.schedule(() => {
      server.behaviour.refuse = 45;                          // back after ~21.8 s, past the 20 s limit
      server.last.serverClose(1006);
    }, 12);
    m.scheduler.schedule(() => client.disconnect(), 40_000);
    m.flush();
    expect(server.log.filter((l) => l.includes('verto.info'))).toEqual(['10 verto.info to other {"peerAction":"offer","callId":"c1","peerMsgId":"uuid-2.1"}']);
    expect(server.log.filter((l) => l.includes('login'))).toHaveLength(2);
  }));

  it('delivers a message once however often it arrives, across connections; messages without an id still arrive; a malformed id is dropped', marbles((m) => {
    const { server, client, logs } = setup(m);
    client.connect();
    const deliver = (body: object) => () => server.push(server.last, 'verto.info', { msg: { from: 'other@localhost', to: 'me', body: b64(body) } });
    m.scheduler.schedule(deliver({ peerAction: 'offer', callId: 'c1', peerMsgId: 'p.1' }), 10);
    m.scheduler.schedule(deliver({ peerAction: 'offer', callId: 'c1', peerMsgId: 'p.1' }), 11);
    m.scheduler.schedule(() => server.last.serverClose(1006), 12);
    m.scheduler.schedule(deliver({ peerAction: 'offer', callId: 'c1', peerMsgId: 'p.1' }), 20);   // re-sent by the other side's next socket
    m.scheduler.schedule(deliver({ peerAction: 'close', callId: 'c1', peerMsgId: 'p.2' }), 21);
    m.scheduler.schedule(deliver({ peerStatus: 'available' }), 22);
    m.scheduler.schedule(deliver({ peerStatus: 'available' }), 23);
    m.scheduler.schedule(deliver({ peerStatus: 'available', peerMsgId: '<img>' }), 24);
    m.scheduler.schedule(deliver({ peerStatus: 'available', peerMsgId: 7 }), 25);
    m.scheduler.schedule(() => client.disconnect(), 30);
    m.expect(client.peerMessages$).toBeObservable('10ms a 10ms bcc 6ms |', {
      a: { from: 'other', message: { peerAction: 'offer', callId: 'c1' } },   // the id stays in src/verto
      b: { from: 'other', message: { peerAction: 'close', callId: 'c1' } },
      c: { from: 'other', message: { peerStatus: 'available' } },
    });
    m.flush();
    expect(logs.filter((l) => l.includes('dropped'))).toEqual([
      'debug dropped a repeated message p.1 from other',
      'debug dropped a repeated message p.1 from other',
      'debug dropped verto.info: msg with a malformed peerMsgId',
      'debug dropped verto.info: msg with a malformed peerMsgId',
    ]);
  }));

  it('publishes presence changes once online, and re-announces busy after a reconnect', marbles((m) => {
    const { server, client } = setup(m);
    client.publishPresence({ status: 'available', name: 'Ann' });
    client.connect();
    m.scheduler.schedule(() => client.publishPresence({ status: 'unavailable', name: 'Ann' }), 10);
    m.scheduler.schedule(() => server.last.serverClose(1006), 20);
    m.scheduler.schedule(() => client.disconnect(), 40);
    m.flush();
    expect(server.log.filter((l) => l.includes('broadcast'))).toEqual([
      '4 verto.broadcast ready',
      '10 verto.broadcast unavailable',
      '24 verto.broadcast ready',
      '24 verto.broadcast unavailable',
      '40 verto.broadcast gone',
    ]);
  }));

  it('reports a broadcast refused inside result (with a code) as a warning, and carries on', marbles((m) => {
    const { server, client, logs } = setup(m);
    client.connect();
    m.scheduler.schedule(() => client.publishPresence({ status: 'available' }), 10);
    // answer that broadcast (id vp-4: login 1, subscribe 2, ready 3) as FreeSWITCH does when refused
    m.scheduler.schedule(() => server.last.message({ id: 'vp-4', result: { message: 'Permission Denied.', code: -32002 } }), 10);
    m.scheduler.schedule(() => client.disconnect(), 30);
    m.expect(letters(client.status$)).toBeObservable('cl--o 25ms (x|)');
    m.flush();
    expect(logs).toContain('warn presence available refused: "Permission Denied."');
  }));

  it('ignores connect() after disconnect()', marbles((m) => {
    const { server, client } = setup(m);
    client.connect();
    m.scheduler.schedule(() => client.disconnect(), 10);
    m.scheduler.schedule(() => client.connect(), 20);
    m.flush();
    expect(server.sockets).toHaveLength(1);
  }));
});
