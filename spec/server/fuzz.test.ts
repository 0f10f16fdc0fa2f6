import { CredentialStore } from '../../server/credential-store';
import type { RunningServer } from '../../server/server';
import { startTestServer, subscribed } from './support/start';
import { TestClient } from './support/test-client';

/** Deterministic pseudo-random numbers so a failure can be reproduced. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomFrame(rand: () => number, victim: { id: string; channel: string }): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const junk = (): string => Array.from({ length: Math.floor(rand() * 40) }, () => String.fromCharCode(Math.floor(rand() * 0x2fff))).join('');
  const value = (): unknown => pick([null, true, 0, -1, 1e308, '', junk(), [], {}, [junk()], { a: junk() }]);
  const methods = ['login', 'verto.subscribe', 'verto.unsubscribe', 'verto.broadcast', 'verto.info', 'verto.ping', 'echo', '__proto__', 'constructor', junk()];
  const kind = Math.floor(rand() * 8);
  switch (kind) {
    case 0:
      return junk();
    case 1:
      return JSON.stringify(value());
    case 2:
      return JSON.stringify([{ jsonrpc: '2.0', id: 1, method: pick(methods), params: value() }, value()]);
    case 3:
      return JSON.stringify({ jsonrpc: pick(['2.0', '1.0', 2, null]), id: value(), method: pick(methods), params: value() });
    case 4:
      return JSON.stringify({ jsonrpc: '2.0', id: value(), method: pick(methods), params: { eventChannel: pick([victim.channel, value(), [victim.channel, value()]]), localBroadcast: true, eventData: junk() } });
    case 5:
      return JSON.stringify({ jsonrpc: '2.0', id: 'x', method: 'verto.info', params: { msg: { to: pick([victim.id, junk(), value()]), body: pick([junk(), value(), 'a|b']) } } });
    case 6:
      return JSON.stringify({ jsonrpc: '2.0', id: 'l', method: 'login', params: { login: pick([victim.id, junk(), value()]), passwd: pick([junk(), value()]), sessid: pick([junk(), value()]) } });
    default:
      return JSON.stringify({ jsonrpc: '2.0', result: value(), id: value() }).slice(0, Math.floor(rand() * 80));
  }
}

describe('10 000 random and malformed frames from one client', () => {
  let server: RunningServer;
  afterEach(() => server.close());

  it('keeps the server up and two other clients exchanging messages undisturbed', async () => {
    const store = new CredentialStore();
    const channel = store.createChannel();
    const [alice, bob] = [store.issueClient(channel), store.issueClient(channel)];
    // The fuzzer is logged in on the same channel, so its frames reach the real handlers, not just the auth gate.
    const mallory = store.issueClient(channel);
    server = await startTestServer({ store });
    const a = await subscribed(server, alice.id, alice.password, channel);
    const b = await subscribed(server, bob.id, bob.password, channel);
    const m = await subscribed(server, mallory.id, mallory.password, channel);
    const rand = prng(20261124);

    const exchange = async (): Promise<number> => {
      let rounds = 0;
      for (let i = 0; i < 40; i += 1) {
        const body = Buffer.from(`round ${i}`).toString('base64');
        expect((await a.call('verto.info', { msg: { to: bob.id, body } })).result.message).toBe('SENT');
        expect((await b.next((f: unknown) => (f as { params?: { msg?: { body?: string } } }).params?.msg?.body === body, 5000)) !== undefined).toBe(true);
        expect((await b.call('verto.ping', {})).result.message).toBe('PONG');
        rounds += 1;
      }
      return rounds;
    };
    const fuzz = async (): Promise<void> => {
      for (let i = 0; i < 10_000; i += 1) {
        m.send(randomFrame(rand, { id: alice.id, channel }));
        // Let the event loop breathe every few hundred frames so both sides interleave.
        if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
    };
    const started = Date.now();
    const [rounds] = await Promise.all([exchange(), fuzz()]);
    expect(rounds).toBe(40);
    // The server still answers the fuzzer and new connections alike.
    expect((await m.call('verto.ping', {}, 'after-fuzz')).id).toBe('after-fuzz');
    const fresh = await TestClient.open(server.vertoUrl);
    expect((await fresh.call('verto.ping', {})).error.code).toBe(-32000);
    expect(Date.now() - started).toBeLessThan(15_000);
    // Whatever the fuzzer sent, alice and bob saw only well-formed server frames.
    for (const frame of [...a.received, ...b.received]) expect(typeof frame).toBe('object');
    await Promise.all([a.close(), b.close(), m.close(), fresh.close()]);
  }, 20_000);
});
