import type { RunningServer } from '../../server/server';
import { Loose, TestClient } from './support/test-client';
import { A, B, C1, fixtureStore } from './support/fixture-users';
import { loggedIn, startTestServer, subscribed } from './support/start';

describe('duplicate logins (protocol doc §3; fixtures 06a–06c; design rule §7.6)', () => {
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

  it('punts the older connection when the same credentials log in again with a new sessid (the design rule)', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const older = await subscribed(server, A.id, A.password, C1);
    const newer = await subscribed(server, A.id, A.password, C1);
    await older.request('verto.punt');
    expect((await older.closed).code).toBe(1000);
    // Only the newer connection still receives: a broadcast and a msg reach it, and nothing was queued for the older one.
    const b = await subscribed(server, B.id, B.password, C1);
    await b.call('verto.broadcast', { eventChannel: C1, localBroadcast: true, eventData: 'eA==' });
    await b.call('verto.info', { msg: { to: A.id, body: 'aGk=' } });
    expect((await newer.request('verto.event')).params.eventData).toBe('eA==');
    expect((await newer.request('verto.info')).params.msg.body).toBe('aGk=');
    expect(older.received.filter((f: Loose) => f.method === 'verto.event' || f.method === 'verto.info')).toEqual([]);
    await Promise.all([newer.close(), b.close()]);
  });

  it('keeps both connections and fans msgs out to both in stock mode (duplicateLogin: sessid, fixture 06a)', async () => {
    server = await startTestServer({ store: fixtureStore(), duplicateLogin: 'sessid' });
    const one = await loggedIn(server, A.id, A.password);
    const two = await loggedIn(server, A.id, A.password);
    const b = await loggedIn(server, B.id, B.password);
    await b.call('verto.info', { msg: { to: A.id, body: 'Ym90aA==' } });
    expect((await one.request('verto.info')).params.msg.body).toBe('Ym90aA==');
    expect((await two.request('verto.info')).params.msg.body).toBe('Ym90aA==');
    await Promise.all([one.close(), two.close(), b.close()]);
  });
});
