import type { RunningServer } from '../../server/server';
import { A, fixtureStore } from './support/fixture-users';
import { loggedIn, startTestServer } from './support/start';
import { Loose, TestClient } from './support/test-client';

const INVALID_METHOD = { code: -32601, message: 'Invalid Method, Missing Method or Permission Denied' };

describe('dispatch, malformed frames and keepalive (fixtures 07, 08, 10)', () => {
  let server: RunningServer;
  afterEach(() => server.close());

  it('allows only verto.* after login: verto.ping → PONG, echo/fsapi/unknown/missing → -32601, echoParams copied', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const a = await loggedIn(server, A.id, A.password, 'p1');
    expect((await a.call('verto.ping', {})).result).toEqual({ message: 'PONG', sessid: 'p1' });
    for (const method of ['echo', 'fsapi', 'jsapi', 'verto.nosuchmethod', 'nosuch', 'toString', '__proto__']) {
      expect((await a.call(method, { x: 1 })).error).toEqual(INVALID_METHOD);
    }
    a.send({ jsonrpc: '2.0', id: 'no-method', params: {} });
    expect((await a.next((f: Loose) => f.id === 'no-method'))).toEqual({ jsonrpc: '2.0', id: 'no-method', error: INVALID_METHOD });
    expect((await a.call('verto.ping', { echoParams: true, foo: 'bar' })).result).toEqual({
      message: 'PONG',
      requestParams: { echoParams: true, foo: 'bar' },
      sessid: 'p1',
    });
    await a.close();
  });

  it('answers bad JSON with Invalid Request (id null), a wrong jsonrpc with Invalid message, ignores replies and # frames, keeps the socket', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const a = await TestClient.open(server.vertoUrl);
    a.send('{"jsonrpc":"2.0","method":"login",');
    expect(await a.next()).toEqual({ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid Request' }, id: null });
    a.send({ jsonrpc: '1.0', method: 'login', params: {}, id: 7 });
    expect(await a.next()).toEqual({ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid message' }, id: 7 });
    a.send('42');
    expect(await a.next()).toEqual({ jsonrpc: '2.0', error: { code: -32600, message: 'Invalid message' }, id: null });
    a.send({ jsonrpc: '2.0', id: 5, result: { method: 'verto.ping' } });
    a.send('#SPU 1000');
    a.ws.send(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 'bin', method: 'verto.ping', params: {} })), { binary: true });
    expect(await a.next()).toEqual({ jsonrpc: '2.0', id: 'bin', error: { code: -32000, message: 'Authentication Required' } });
    await a.close();
  });

  it('answers a batch with an array of replies without sessid inside', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const a = await loggedIn(server, A.id, A.password);
    a.send([
      { jsonrpc: '2.0', method: 'verto.ping', params: {}, id: 1 },
      { jsonrpc: '2.0', method: 'bogus', params: {}, id: 2 },
      { jsonrpc: '2.0', result: {}, id: 3 },
      'x',
    ]);
    expect(await a.next(Array.isArray)).toEqual([
      { jsonrpc: '2.0', id: 1, result: { message: 'PONG' } },
      { jsonrpc: '2.0', id: 2, error: INVALID_METHOD },
      { jsonrpc: '2.0', error: { code: -32600, message: 'Invalid message' }, id: null },
    ]);
    await a.close();
  });

  it('sends its own verto.ping after serverPingMs without inbound frames (before login too), again after more silence, and ignores the reply', async () => {
    server = await startTestServer({ store: fixtureStore(), serverPingMs: 150 });
    const idle = await TestClient.open(server.vertoUrl);
    const ping = await idle.request('verto.ping', 1000);
    expect(ping).toEqual({ jsonrpc: '2.0', id: expect.any(Number), method: 'verto.ping', params: { serno: expect.any(Number) } });
    expect(Math.abs(ping.params.serno - Date.now() / 1000)).toBeLessThan(5);
    idle.send({ jsonrpc: '2.0', id: ping.id, result: { method: 'verto.ping' } });
    const again = await idle.request('verto.ping', 1000);
    expect(again.id).toBeGreaterThan(ping.id);
    expect(idle.received).toEqual([]);
    await idle.close();
  });

  it('drops every socket without a close frame on shutdown (clients see 1006), as FreeSWITCH does, and frees the port', async () => {
    server = await startTestServer({ store: fixtureStore() });
    const a = await loggedIn(server, A.id, A.password);
    const b = await TestClient.open(server.vertoUrl);
    const { port } = server;
    await server.close();
    expect(await a.closed).toEqual({ code: 1006, reason: '' });
    expect(await b.closed).toEqual({ code: 1006, reason: '' });
    server = await startTestServer({ store: fixtureStore(), port });
    expect(server.port).toBe(port);
  });
});
