import type { RunningServer } from '../../server/server';
import { A, B, C1, fixtureStore } from './support/fixture-users';
import { captureLogger, loggedIn, startTestServer } from './support/start';
import { TestClient } from './support/test-client';

describe('auth gate and login (fixture 02)', () => {
  let server: RunningServer;
  const logger = captureLogger();
  beforeEach(async () => {
    logger.lines.length = 0;
    server = await startTestServer({ store: fixtureStore(), logger });
  });
  afterEach(() => server.close());

  it('checks every request before login with its own params and keeps the socket open after failures', async () => {
    const client = await TestClient.open(server.vertoUrl);
    expect((await client.call('verto.subscribe', { eventChannel: C1 })).error).toEqual({ code: -32000, message: 'Authentication Required' });
    expect((await client.call('login', undefined)).error).toEqual({ code: -32001, message: 'Missing params' });
    expect((await client.call('login', { login: A.id })).error).toEqual({ code: -32001, message: 'Missing passwd' });
    expect((await client.call('login', { login: 'nobody', passwd: 'x' })).error).toEqual({ code: -32001, message: 'Login Incorrect' });
    expect((await client.call('login', { login: A.id, passwd: 'wrong' })).error).toEqual({ code: -32001, message: 'Authentication Failure' });
    expect((await client.call('login', { login: `${A.id}@evil.example`, passwd: A.password, sessid: 'sess-1' })).result).toEqual({
      message: 'logged in',
      sessid: 'sess-1',
    });
    const ready = await client.request('verto.clientReady');
    expect(ready).toEqual({ jsonrpc: '2.0', id: expect.any(Number), method: 'verto.clientReady', params: { reattached_sessions: [] } });
    await client.close();
  });

  it('sends clientReady once per connection, after the login result, even after a second login', async () => {
    const client = await loggedIn(server, A.id, A.password);
    await client.request('verto.clientReady');
    expect((await client.call('login', { login: A.id, passwd: A.password })).result.message).toBe('logged in');
    expect((await client.call('login', { login: A.id, passwd: 'wrong' })).error.message).toBe('Authentication Failure');
    // A failed repeat leaves the connection logged in; a repeat as another user goes through (duplicate-login.test.ts).
    expect((await client.call('verto.ping', {})).result.message).toBe('PONG');
    expect((await client.call('login', { login: B.id, passwd: B.password })).result.message).toBe('logged in');
    expect(await client.quietFor(60)).toEqual([]);
    expect((await client.call('verto.ping', {})).result.message).toBe('PONG');
    await client.close();
  });

  it('makes up a sessid when the login has none and appends the bound sessid to every result', async () => {
    const client = await TestClient.open(server.vertoUrl);
    const answer = await client.call('login', { login: A.id, passwd: A.password });
    expect(answer.result.sessid).toMatch(/^[0-9a-f-]{36}$/);
    expect((await client.call('verto.ping', { sessid: 'ignored-later' })).result.sessid).toBe(answer.result.sessid);
    await client.close();
  });

  it('authenticates a first non-login request that carries credentials and then runs it', async () => {
    const client = await TestClient.open(server.vertoUrl);
    const answer = await client.call('verto.subscribe', { login: A.id, passwd: A.password, sessid: 'sub-first', eventChannel: C1 });
    expect(answer.result).toEqual({ subscribedChannels: [C1], sessid: 'sub-first' });
    await client.request('verto.clientReady');
    await client.close();
  });

  it('counts login attempts per login id, logs each outcome with the client id and never logs a password', async () => {
    const client = await TestClient.open(server.vertoUrl);
    const seen: boolean[] = [];
    server.events.on('login', (e) => seen.push(e.ok));
    await client.call('login', { login: A.id, passwd: 'wrong-secret' });
    await client.call('login', { login: `${A.id}@localhost`, passwd: A.password });
    expect(server.loginAttempts(A.id)).toBe(2);
    expect(server.loginAttempts(B.id)).toBe(0);
    expect(seen).toEqual([false, true]);
    expect(logger.lines.some((l) => /^\[conn-\d+\] login failed for .*Authentication Failure/.test(l))).toBe(true);
    expect(logger.lines.some((l) => l.startsWith(`[${A.id}] login ok`))).toBe(true);
    expect(logger.lines.join('\n')).not.toContain(A.password);
    expect(logger.lines.join('\n')).not.toContain('wrong-secret');
    await client.close();
    await server.close();
    expect(logger.lines.some((l) => l.startsWith(`[${A.id}] close 1000`))).toBe(true);
  });

  it('logs in a bare id or any id@domain by default (force-register-domain)', async () => {
    for (const login of [A.id, `${A.id}@localhost`, `${A.id}@evil.example`]) {
      const client = await TestClient.open(server.vertoUrl);
      expect((await client.call('login', { login, passwd: A.password })).result.message).toBe('logged in');
      await client.close();
    }
  });
});

describe('a profile without force-register-domain', () => {
  let server: RunningServer;
  afterEach(() => server.close());

  it('needs id@<domain>: a bare id gets Missing or improper credentials, another domain Login Incorrect', async () => {
    server = await startTestServer({ store: fixtureStore(), forceRegisterDomain: false });
    const client = await TestClient.open(server.vertoUrl);
    expect((await client.call('login', { login: A.id, passwd: A.password })).error).toEqual({ code: -32001, message: 'Missing or improper credentials' });
    expect((await client.call('login', { login: `${A.id}@evil.example`, passwd: A.password })).error).toEqual({ code: -32001, message: 'Login Incorrect' });
    expect((await client.call('login', { login: `${A.id}@localhost`, passwd: A.password, sessid: 'dom' })).result).toEqual({ message: 'logged in', sessid: 'dom' });
    await client.close();
  });
});
