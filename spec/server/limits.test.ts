import { CredentialStore } from '../../server/credential-store';
import type { RunningServer } from '../../server/server';
import { A, fixtureStore } from './support/fixture-users';
import { captureLogger, loggedIn, startTestServer, subscribed } from './support/start';
import { TestClient } from './support/test-client';

/** mod_verto closes with a close frame 1000 and drops TCP at once: a client sees 1000, or 1006 when the drop wins. */
const MOD_VERTO_CLOSE = [1000, 1006];

describe('limits: mod_verto’s frame cap, and the development-only rate limit and channel cap', () => {
  let server: RunningServer;
  afterEach(() => server.close());

  it('closes a connection that sends a frame over maxFrameBytes as mod_verto does (not 1009), and takes the next connection normally', async () => {
    const logger = captureLogger();
    server = await startTestServer({ store: fixtureStore(), limits: { maxFrameBytes: 1000 }, logger });
    const big = await TestClient.open(server.vertoUrl);
    const limited = new Promise((resolve) => server.events.once('limit', resolve));
    big.send({ jsonrpc: '2.0', id: 1, method: 'verto.ping', params: { pad: 'x'.repeat(1000) } });
    expect(MOD_VERTO_CLOSE).toContain((await big.closed).code);
    expect(await limited).toEqual({ client: expect.stringMatching(/^conn-/), limit: 'frame-size' });
    expect(big.received).toEqual([]);
    expect(logger.lines.some((l) => /^\[conn-\d+\] frame of \d+ bytes over 1000; closing 1000 and dropping/.test(l))).toBe(true);
    const next = await loggedIn(server, A.id, A.password);
    expect((await next.call('verto.ping', { pad: 'x'.repeat(800) })).result.message).toBe('PONG');
    await next.close();
  });

  it('defaults to mod_verto’s cap: a 999,999-byte frame is read, a 1,000,000-byte one closes the socket', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const client = await TestClient.open(server.vertoUrl);
    client.send(`"${'x'.repeat(999_997)}"`);
    expect(await client.next()).toEqual({ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid message' }, id: null });
    client.send('x'.repeat(1_000_000));
    expect(MOD_VERTO_CLOSE).toContain((await client.closed).code);
  });

  it('has no rate limit and no channel cap by default, as FreeSWITCH', async () => {
    const store = new CredentialStore();
    const channel = store.createChannel();
    server = await startTestServer({ store });
    const users = Array.from({ length: 60 }, () => store.issueClient(channel));
    const clients = await Promise.all(users.map((u) => subscribed(server, u.id, u.password, channel)));
    const flood = clients[0];
    for (let i = 0; i < 500; i += 1) flood.send({ jsonrpc: '2.0', id: i, method: 'verto.ping', params: {} });
    expect((await flood.call('verto.ping', {}, 'last')).result.message).toBe('PONG');
    expect(flood.received.filter((f) => (f as { result?: { message?: string } }).result?.message === 'PONG')).toHaveLength(500);
    await Promise.all(clients.map((c) => c.close()));
  });

  it('closes a connection over the message rate with 1008 and leaves others alone', async () => {
    server = await startTestServer({ store: fixtureStore(), limits: { rateLimit: { burst: 20, perSecond: 1 } } });
    const calm = await loggedIn(server, A.id, A.password);
    const flood = await TestClient.open(server.vertoUrl);
    const limited = new Promise((resolve) => server.events.once('limit', resolve));
    for (let i = 0; i < 25; i += 1) flood.send({ jsonrpc: '2.0', id: i, method: 'verto.ping', params: {} });
    expect(await flood.closed).toEqual({ code: 1008, reason: 'message rate limit exceeded' });
    expect(await limited).toEqual({ client: expect.stringMatching(/^conn-/), limit: 'rate' });
    // Exactly the burst was answered before the limit hit.
    expect(flood.received).toHaveLength(20);
    expect((await calm.call('verto.ping', {})).result.message).toBe('PONG');
    await calm.close();
  });

  it('refuses a login over maxClientsPerChannel with -32001 Channel full; a user already in the channel may log in again', async () => {
    const store = new CredentialStore();
    const channel = store.createChannel();
    const [one, two, three] = [store.issueClient(channel), store.issueClient(channel), store.issueClient(channel)];
    server = await startTestServer({ store, limits: { maxClientsPerChannel: 2 } });
    const c1 = await subscribed(server, one.id, one.password, channel);
    const c2 = await subscribed(server, two.id, two.password, channel);
    const c3 = await TestClient.open(server.vertoUrl);
    expect((await c3.call('login', { login: three.id, passwd: three.password })).error).toEqual({ code: -32001, message: 'Channel full' });
    // A user already in the channel logging in again is not counted twice.
    const again = await loggedIn(server, two.id, two.password);
    await c1.close();
    expect((await c3.call('login', { login: three.id, passwd: three.password })).result.message).toBe('logged in');
    await Promise.all([again.close(), c2.close(), c3.close()]);
  });
});
