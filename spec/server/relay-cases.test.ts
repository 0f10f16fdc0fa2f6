import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChatEvent, decideRelay } from '../../server/chat-relay';
import { CredentialStore } from '../../server/credential-store';
import type { RunningServer } from '../../server/server';
import { loggedIn, startTestServer } from './support/start';
import { Loose } from './support/test-client';

/** The one table of relay cases that deploy/freeswitch/scripts/verto_chat_relay.lua is tested against too. */
interface RelayCase {
  readonly name: string;
  readonly to: string;
  readonly senderChannels: string;
  readonly targetChannels: string | null;
  readonly body: string | { readonly unit: string; readonly times: number };
  readonly deliver: boolean;
}

const table = JSON.parse(readFileSync(join(__dirname, '..', 'support', 'relay-cases.json'), 'utf8')) as { domain: string; cases: RelayCase[] };
const { domain } = table;
const bodyOf = (c: RelayCase): string => (typeof c.body === 'string' ? c.body : c.body.unit.repeat(c.body.times));

/** Why the server drops each refused case (the reason it logs and reports); the table itself says only whether. */
const REASONS: Readonly<Record<string, string>> = {
  'other channel': 'no shared channel',
  'unknown target': 'no shared channel',
  '__ANY__ on the target matches nothing': 'no shared channel',
  '__ANY__ on both matches nothing': 'no shared channel',
  'empty body': 'empty body',
  'plain text body': 'body is not plain base64',
  'raw JSON body': 'body is not plain base64',
  'unpadded base64': 'body is not plain base64',
  'url-safe base64': 'body is not plain base64',
  'pipe in body': 'body is not plain base64',
  'padding inside': 'body is not plain base64',
  'body over 64 KiB': 'body over 65536 bytes',
  'target with a space': 'target is not a user id',
  'target with a pipe': 'target is not a user id',
  'empty target': 'no target',
  'target in another domain': 'no shared channel',
};

describe('the relay decision against every case of spec/support/relay-cases.json', () => {
  it('holds enough cases to mean something', () => {
    expect(table.cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(table.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // What the hook's user_data lookup answers: the sender's and the target's param, nothing for anyone else.
    const lookup = (address: string): string | undefined =>
      address === `alice@${domain}` ? c.senderChannels : address === `bob@${domain}` ? (c.targetChannels ?? undefined) : undefined;
    const event: ChatEvent = { from: `alice@${domain}`, fromUser: 'alice', fromHost: domain, to: c.to, body: bodyOf(c) };
    const decision = decideRelay(event, lookup, 'same-channel');
    expect({ deliver: decision.deliver }).toEqual({ deliver: c.deliver });
    if (decision.deliver) expect(decision.target).toBe(c.to.includes('@') ? c.to : `${c.to}@${domain}`);
    else if (c.name in REASONS) expect(decision.reason).toBe(REASONS[c.name]);
  });

  it('drops a message whose sender headers are not a valid, consistent id@domain (a directory id the hook would not pass on)', () => {
    const lookup = (): string => 'c1';
    const body = 'eyJhIjoxfQ==';
    const sender = (from: string, fromUser: string, fromHost: string): ChatEvent => ({ from, fromUser, fromHost, to: 'bob', body });
    for (const event of [sender('al ice@pbx.test', 'al ice', 'pbx.test'), sender('alice@pbx.test', 'mallory', 'pbx.test'), sender('alice@pbx.test', 'alice', '')]) {
      expect(decideRelay(event, lookup, 'same-channel')).toEqual({ deliver: false, reason: 'sender headers missing or inconsistent' });
    }
    expect(decideRelay(sender('alice@pbx.test', 'alice', 'pbx.test'), lookup, 'same-channel')).toEqual({ deliver: true, target: 'bob@pbx.test' });
  });

  describe('through the running server (alice sends each case over a socket, bob is logged in)', () => {
    let server: RunningServer;
    afterEach(() => server.close());

    it('delivers exactly the cases the table delivers', async () => {
      const store = new CredentialStore();
      const user = (id: string, channels: string) => store.addUser({ id, password: `${id}-pw`, allowedMethods: 'verto', allowedEventChannels: channels });
      user('alice', 'c1');
      user('bob', 'c1');
      server = await startTestServer({ store, domain });
      const alice = await loggedIn(server, 'alice', 'alice-pw');
      const bob = await loggedIn(server, 'bob', 'bob-pw');
      await bob.request('verto.clientReady');
      const outcomes: string[] = [];
      for (const c of table.cases) {
        // The hook reads the directory when it runs, so each case's channels apply to the live sockets.
        user('alice', c.senderChannels);
        if (c.targetChannels !== null) user('bob', c.targetChannels);
        const decided = new Promise<string>((resolve) => {
          server.events.once('relayed', (e) => resolve(`relayed to ${e.deliveries}`));
          server.events.once('relay-dropped', (e) => resolve(`dropped: ${e.reason}`));
        });
        const answer = await alice.call('verto.info', { msg: { to: c.to, body: bodyOf(c) } });
        // An empty target or body never reaches the hook: mod_verto refuses the msg itself.
        const outcome = answer.error ? `refused: ${answer.error.message}` : await decided;
        server.events.removeAllListeners('relayed').removeAllListeners('relay-dropped');
        const delivered = outcome === 'relayed to 1' ? (await bob.request('verto.info')).params.msg.body === bodyOf(c) : false;
        outcomes.push(`${c.name}: ${delivered}`);
      }
      expect(outcomes).toEqual(table.cases.map((c) => `${c.name}: ${c.deliver}`));
      expect(bob.received.filter((f: Loose) => f.method === 'verto.info')).toEqual([]);
      await Promise.all([alice.close(), bob.close()]);
    });
  });
});
