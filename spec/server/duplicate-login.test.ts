import type { RunningServer } from '../../server/server';
import { Loose, TestClient } from './support/test-client';
import { A, B, C1, C2, fixtureStore, X } from './support/fixture-users';
import { loggedIn, startTestServer, subscribed } from './support/start';

describe('duplicate logins (fixtures 06a–06c)', () => {
  let server: RunningServer;
  afterEach(() => server.close());

  it('punts the older connection when the same user reuses its sessid: verto.punt, then close 1000', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const first = await loggedIn(server, A.id, A.password, 'shared-sessid');
    const second = await loggedIn(server, A.id, A.password, 'shared-sessid');
    expect(await first.request('verto.punt')).toEqual({ jsonrpc: '2.0', id: expect.any(Number), method: 'verto.punt', params: {} });
    expect(await first.closed).toEqual({ code: 1000, reason: '' });
    expect((await second.call('verto.ping', {})).result).toEqual({ message: 'PONG', sessid: 'shared-sessid' });
    await second.close();
  });

  it('refuses another user reusing a live sessid with Session in use and closes that socket; the holder is unaffected', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const holder = await loggedIn(server, A.id, A.password, 'taken');
    const intruder = await TestClient.open(server.vertoUrl);
    expect((await intruder.call('login', { login: B.id, passwd: B.password, sessid: 'taken' })).error).toEqual({ code: -32001, message: 'Session in use' });
    expect((await intruder.closed).code).toBe(1000);
    expect((await holder.call('verto.ping', {})).result.sessid).toBe('taken');
    await holder.close();
  });

  it('keeps both connections of the same credentials with new sessids: msgs reach both, broadcasts reach both subscribers (fixture 06a)', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const one = await subscribed(server, A.id, A.password, C1);
    const two = await subscribed(server, A.id, A.password, C1);
    const b = await subscribed(server, B.id, B.password, C1);
    await b.call('verto.info', { msg: { to: A.id, body: 'Ym90aA==' } });
    const [toOne, toTwo] = [await one.request('verto.info'), await two.request('verto.info')];
    expect([toOne.params.msg.body, toTwo.params.msg.body]).toEqual(['Ym90aA==', 'Ym90aA==']);
    // mod_verto queues one request to every socket of the user: one id.
    expect(toTwo.id).toBe(toOne.id);
    await b.call('verto.broadcast', { eventChannel: C1, localBroadcast: true, eventData: 'eA==' });
    expect([(await one.request('verto.event')).params.eventData, (await two.request('verto.event')).params.eventData]).toEqual(['eA==', 'eA==']);
    expect([...one.received, ...two.received].filter((f: Loose) => f.method === 'verto.punt')).toEqual([]);
    // Each leaves on its own: the other still receives.
    await one.close();
    await b.call('verto.info', { msg: { to: `${A.id}@localhost`, body: 'c3RpbGw=' } });
    expect((await two.request('verto.info')).params.msg.body).toBe('c3RpbGw=');
    await Promise.all([two.close(), b.close()]);
  });

  it('lets a logged-in socket log in again as another user: it keeps its sessid, is addressed as the new user and keeps the first user’s permissions too', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const socket = await subscribed(server, A.id, A.password, C1);
    const b = await subscribed(server, B.id, B.password, C1);
    const sessid = (await socket.call('verto.ping', {})).result.sessid;
    expect((await socket.call('login', { login: X.id, passwd: X.password })).result).toEqual({ message: 'logged in', sessid });
    // A's channel stays allowed and X's is added.
    expect((await socket.call('verto.subscribe', { eventChannel: C2 })).result.subscribedChannels).toEqual([C2]);
    await socket.call('verto.broadcast', { eventChannel: C1, localBroadcast: true, eventData: 'eA==' });
    expect((await b.request('verto.event')).params.userid).toBe(`${X.id}@localhost`);
    // Chat for A no longer reaches it.
    const dropped = new Promise((resolve) => server.events.once('relayed', resolve));
    await b.call('verto.info', { msg: { to: A.id, body: 'Zm9yQQ==' } });
    expect(await dropped).toMatchObject({ deliveries: 0 });
    expect(socket.received.filter((f: Loose) => f.method === 'verto.info')).toEqual([]);
    expect(socket.received.filter((f: Loose) => f.method === 'verto.clientReady')).toEqual([]);
    await Promise.all([socket.close(), b.close()]);
  });
});
