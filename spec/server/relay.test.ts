import type { RunningServer } from '../../server/server';
import { A, B, fixtureStore, X } from './support/fixture-users';
import { loggedIn, startTestServer } from './support/start';
import { TestClient } from './support/test-client';

describe('verto.info msg relay (fixtures 05a–05c; the body and address rules are in relay-cases.test.ts)', () => {
  let server: RunningServer;
  afterEach(() => server.close());

  it('delivers to the target in the relay shape: from and to as id@domain, body untouched, no sessid', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const a = await loggedIn(server, A.id, A.password);
    const b = await loggedIn(server, B.id, B.password);
    expect((await a.call('verto.info', { msg: { to: B.id, body: 'b2ZmZXI=', from: 'forged@x' } })).result).toEqual({ message: 'SENT', sessid: expect.any(String) });
    expect(await b.request('verto.info')).toEqual({
      jsonrpc: '2.0',
      id: expect.any(Number),
      method: 'verto.info',
      params: { msg: { from: `${A.id}@localhost`, to: `${B.id}@localhost`, body: 'b2ZmZXI=' } },
    });
    await a.call('verto.info', { msg: { to: `${B.id}@localhost`, body: 'Mg==' } });
    expect((await b.request('verto.info')).params.msg.body).toBe('Mg==');
    await Promise.all([a.close(), b.close()]);
  });

  it('answers SENT and drops silently for offline, unknown and foreign-domain targets; errors without to or body', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const a = await loggedIn(server, A.id, A.password);
    const outcomes: string[] = [];
    server.events.on('relayed', (e) => outcomes.push(`${e.to}:${e.deliveries}`));
    server.events.on('relay-dropped', (e) => outcomes.push(`${e.to}:${e.reason}`));
    for (const to of [B.id, 'nobody', `${B.id}@elsewhere`]) expect((await a.call('verto.info', { msg: { to, body: 'eA==' } })).result.message).toBe('SENT');
    expect((await a.call('verto.info', { msg: { to: B.id } })).error).toEqual({ message: 'INVALID MESSAGE to and body params required' });
    expect((await a.call('verto.info', { msg: { body: 'eA==' } })).error).toEqual({ message: 'INVALID MESSAGE to and body params required' });
    expect((await a.call('verto.info', { msg: { to: B.id, body: 'a|b' } })).result.message).toBe('SENT');
    expect((await a.call('verto.info', { msg: { to: B.id, body: 'hello' } })).result.message).toBe('SENT');
    await a.call('verto.info', { msg: { to: A.id, body: 'c2VsZg==' } });
    expect((await a.request('verto.info')).params.msg.to).toBe(`${A.id}@localhost`);
    // Drops are decided at once, deliveries after the relay delay: compare as sets.
    expect([...outcomes].sort()).toEqual(
      [
        `${B.id}@localhost:0`,
        'nobody:no shared channel',
        `${B.id}@elsewhere:no shared channel`,
        `${B.id}:body is not plain base64`,
        `${B.id}:body is not plain base64`,
        `${A.id}@localhost:1`,
      ].sort(),
    );
    await a.close();
  });

  it('relays across channels only when the hook’s channel check is off (fixture 05b), and nothing without a hook (05c)', async () => {
    server = await startTestServer({ store: fixtureStore(), relay: { policy: 'any', delayMs: 1 } });
    let a = await loggedIn(server, A.id, A.password);
    const x = await loggedIn(server, X.id, X.password);
    await a.call('verto.info', { msg: { to: X.id, body: 'eA==' } });
    expect((await x.request('verto.info')).params.msg.from).toBe(`${A.id}@localhost`);
    // The body rules still hold without the channel check.
    const refused = new Promise((resolve) => server.events.once('relay-dropped', resolve));
    await a.call('verto.info', { msg: { to: X.id, body: 'plain text' } });
    expect(await refused).toMatchObject({ reason: 'body is not plain base64' });
    await Promise.all([a.close(), x.close()]);
    await server.close();
    server = await startTestServer({ store: fixtureStore(), relay: { policy: 'off' } });
    a = await loggedIn(server, A.id, A.password);
    const b = await loggedIn(server, B.id, B.password);
    const dropped = new Promise((resolve) => server.events.once('relay-dropped', resolve));
    await a.call('verto.info', { msg: { to: B.id, body: 'eA==' } });
    expect(await dropped).toMatchObject({ reason: 'relay switched off' });
    await Promise.all([a.close(), b.close()]);
  });

  it('can delay and reorder relayed messages (jitter), and still delivers every one', async () => {
    server = await startTestServer({ store: fixtureStore(), relay: { delayMs: 0, jitterMs: 40 } });
    const a = await loggedIn(server, A.id, A.password);
    const b = await loggedIn(server, B.id, B.password);
    const bodies = Array.from({ length: 30 }, (_, i) => Buffer.from(`m${i}`).toString('base64'));
    for (const body of bodies) a.send({ jsonrpc: '2.0', id: body, method: 'verto.info', params: { msg: { to: B.id, body } } });
    const got: string[] = [];
    for (const _ of bodies) got.push((await b.request('verto.info')).params.msg.body);
    expect([...got].sort()).toEqual([...bodies].sort());
    expect(got).not.toEqual(bodies);
    await Promise.all([a.close(), b.close()]);
  });

  it('delivers to whoever is logged in as the target when the relay runs, not when the msg was sent', async () => {
    server = await startTestServer({ store: fixtureStore(), relay: { delayMs: 150 } });
    const a = await loggedIn(server, A.id, A.password);
    await a.call('verto.info', { msg: { to: B.id, body: 'bGF0ZQ==' } });
    const b = await TestClient.open(server.vertoUrl);
    await b.call('login', { login: B.id, passwd: B.password });
    expect((await b.request('verto.info')).params.msg.body).toBe('bGF0ZQ==');
    await Promise.all([a.close(), b.close()]);
  });

  it('answers {} to verto.info without msg, and cuts a proto+ prefix off the target as mod_verto does', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const a = await loggedIn(server, A.id, A.password, 'info-sess');
    const b = await loggedIn(server, B.id, B.password);
    expect((await a.call('verto.info', {})).result).toEqual({ sessid: 'info-sess' });
    expect((await a.call('verto.info', { msg: null })).error).toEqual({ message: 'INVALID MESSAGE to and body params required' });
    expect((await a.call('verto.info', { msg: { to: 'sip+', body: 'eA==' } })).error).toEqual({ message: 'INVALID MESSAGE to and body params required' });
    await a.call('verto.info', { msg: { to: `verto+${B.id}`, body: 'b25jZQ==' } });
    expect((await b.request('verto.info')).params.msg).toEqual({ from: `${A.id}@localhost`, to: `${B.id}@localhost`, body: 'b25jZQ==' });
    // Another protocol's prefix fires the chat event for that protocol's queue and the global one: the hook runs twice.
    const relayed: number[] = [];
    server.events.on('relayed', (e) => relayed.push(e.deliveries));
    await a.call('verto.info', { msg: { to: `sip+${B.id}`, body: 'dHdpY2U=' } });
    expect([(await b.request('verto.info')).params.msg.body, (await b.request('verto.info')).params.msg.body]).toEqual(['dHdpY2U=', 'dHdpY2U=']);
    expect(relayed).toEqual([1, 1]);
    await Promise.all([a.close(), b.close()]);
  });
});
