/**
 * Two pages of one channel behind Debian's nginx with the shipped deploy/nginx files, in front of two
 * development-server nodes that read their users from the page server's directory view (as FreeSWITCH
 * nodes read Django's through mod_xml_curl). The node holding the channel dies during a call.
 */
import { UrlDirectory } from '../server/directory-url';
import { DIRECTORY_VIEW_PATH } from '../server/http-routes';
import { startServer, type RunningServer } from '../server/server';
import { startNginx, type Nginx } from './support/nginx';
import { useSuite } from './support/session';
import { until } from './support/wait';

const CREDENTIALS = 'freeswitch:e2e-failover';
const { suite, scenario } = useSuite({ directoryView: { credentials: CREDENTIALS, cacheableMs: 60_000 } });

let nodes: RunningServer[] = [];
let nginx: Nginx | undefined;
/** Per node, the logins (bare ids) that succeeded on it. */
const loginsOn = new Map<RunningServer, Set<string>>();

beforeAll(async () => {
  const directoryUrl = suite.running.url + DIRECTORY_VIEW_PATH;
  nodes = await Promise.all(
    [0, 1].map((i) =>
      startServer({
        host: '127.0.0.1',
        port: 0,
        logger: suite.log,
        directory: new UrlDirectory({ url: directoryUrl, credentials: CREDENTIALS, timeoutMs: 5000, domain: 'localhost', logger: suite.log, hostname: `node-${i}` }),
      }),
    ),
  );
  for (const node of nodes) {
    const logins = new Set<string>();
    loginsOn.set(node, logins);
    node.events.on('login', (e) => {
      if (e.ok) logins.add(e.login.split('@')[0]);
    });
  }
  nginx = await startNginx({ nodePorts: nodes.map((n) => n.port), pagePort: suite.running.port });
}, 30_000);
afterAll(async () => {
  await nginx?.stop();
  await Promise.all(nodes.map((n) => n.close()));
});

scenario('failover: the node holding the channel dies in a call: media goes on, both pages come back on the other node, hang up and call again', async (run) => {
  const url = `${nginx?.url}/c/${run.channelId}`;
  const [a, b] = await Promise.all([run.open('alice', { name: 'Alice', url }), run.open('bob', { name: 'Bob', url })]);
  const alice = a.peer;
  const bob = b.peer;
  await Promise.all([alice.waitForPeer('Bob'), bob.waitForPeer('Alice')]);
  const ids = await Promise.all(
    [a, b].map(({ page }) => page.evaluate(() => (JSON.parse(document.getElementById('channel-config')?.textContent ?? '{}') as { login: string }).login.split('@')[0])),
  );
  // Both on one node (channel affinity), none on the other.
  const holder = nodes.find((n) => ids.every((id) => loginsOn.get(n)?.has(id)));
  const other = nodes.find((n) => n !== holder);
  if (!holder || !other) throw new Error(`the channel is not on one node: ${JSON.stringify(nodes.map((n) => [...(loginsOn.get(n) ?? [])]))}`);
  expect(ids.some((id) => loginsOn.get(other)?.has(id))).toBe(false);

  await alice.call('Bob');
  await bob.waitForDialog('Alice is calling');
  await bob.accept();
  await Promise.all([alice.waitForRemoteVideo(), bob.waitForRemoteVideo()]);

  const [a0, b0] = await Promise.all([alice.media(), bob.media()]);
  // Every socket of the node dropped without a close frame, and its port refuses: as a FreeSWITCH that died.
  await holder.close();
  await Promise.all([
    alice.waitForMedia((m) => m.framesDecoded >= a0.framesDecoded + 10 && m.source === 'remote', 'frames decoded rising after the node died', 3000),
    bob.waitForMedia((m) => m.framesDecoded >= b0.framesDecoded + 10 && m.source === 'remote', 'frames decoded rising after the node died', 3000),
  ]);

  // nginx hands the channel to the other node: both log in there and the call's signalling resumes.
  await until(async () => ids.every((id) => loginsOn.get(other)?.has(id)), Boolean, { timeout: 10_000, what: 'both pages to log in on the other node' });
  await Promise.all([alice.waitForStatus(/^In a call with Bob$/), bob.waitForStatus(/^In a call with Alice$/)]);
  await alice.hangUp();
  await bob.waitForStatus(/^Alice hung up$/);
  await Promise.all([alice.waitForIdleMedia(), bob.waitForIdleMedia()]);

  // A new call through the other node.
  await Promise.all([alice.waitForPeer('Bob'), bob.waitForPeer('Alice')]);
  await bob.call('Alice');
  await alice.waitForDialog('Bob is calling');
  await alice.accept();
  await Promise.all([alice.waitForRemoteVideo(), bob.waitForRemoteVideo()]);
  await bob.hangUp();
  await alice.waitForStatus(/^Bob hung up$/);
}, 45_000);
