import { CredentialStore } from '../../server/credential-store';
import type { RunningServer } from '../../server/server';
import { A, fixtureStore } from './support/fixture-users';
import { captureLogger, loggedIn, startTestServer, subscribed } from './support/start';
import { TestClient } from './support/test-client';

describe('limits (frame size, message rate, clients per channel)', () => {
  let server: RunningServer;
  afterEach(() => server.close());

  it('closes a connection that sends a frame over maxFrameBytes with 1009, and takes the next connection normally', async () => {
    const logger = captureLogger();
    server = await startTestServer({ store: fixtureStore(), limits: { maxFrameBytes: 1000 }, logger });
    const big = await TestClient.open(server.vertoUrl);
    big.send({ jsonrpc: '2.0', id: 1, method: 'verto.ping', params: { pad: 'x'.repeat(1000) } });
    expect((await big.closed).code).toBe(1009);
    expect(logger.lines.some((l) => /^\[conn-\d+\] limit hit: frame over 1000 bytes/.test(l))).toBe(true);
    const next = await loggedIn(server, A.id, A.password);
    expect((await next.call('verto.ping', { pad: 'x'.repeat(800) })).result.message).toBe('PONG');
    await next.close();
  });

  it('defaults to mod_verto’s 1,000,000-byte cap', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const client = await TestClient.open(server.vertoUrl);
    client.send('x'.repeat(1_000_001));
    expect((await client.closed).code).toBe(1009);
  });

  it('closes a connection over the message rate with 1008 and leaves others alone', async () => {
    server = await startTestServer({ store: fixtureStore(), limits: { messageBurst: 20, messagesPerSecond: 1 } });
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

  it('refuses a login over maxClientsPerChannel with -32001 Channel full; the same client may reconnect', async () => {
    const store = new CredentialStore();
    const channel = store.createChannel();
    const [one, two, three] = [store.issueClient(channel), store.issueClient(channel), store.issueClient(channel)];
    server = await startTestServer({ store, limits: { maxClientsPerChannel: 2 } });
    const c1 = await subscribed(server, one.id, one.password, channel);
    const c2 = await subscribed(server, two.id, two.password, channel);
    const c3 = await TestClient.open(server.vertoUrl);
    expect((await c3.call('login', { login: three.id, passwd: three.password })).error).toEqual({ code: -32001, message: 'Channel full' });
    // A user already in the channel logging in again is not counted twice (and punts its older connection).
    const again = await loggedIn(server, two.id, two.password);
    expect((await c2.closed).code).toBe(1000);
    await c1.close();
    expect((await c3.call('login', { login: three.id, passwd: three.password })).result.message).toBe('logged in');
    await Promise.all([again.close(), c3.close()]);
  });
});
