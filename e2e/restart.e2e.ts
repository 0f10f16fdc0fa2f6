import type { Page } from 'playwright-core';
import type { PeerPage } from './support/peer-page';
import { useSuite, type Suite, type TestRun } from './support/session';
import { until } from './support/wait';

const { suite, scenario } = useSuite();

const loginOf = (page: Page): Promise<string> =>
  page.evaluate(() => (JSON.parse(document.getElementById('channel-config')?.textContent ?? '{}') as { login: string }).login.split('@')[0]);

async function twoPeers(run: TestRun): Promise<{ alice: PeerPage; bob: PeerPage; ids: string[] }> {
  const [a, b] = await Promise.all([run.open('alice', { name: 'Alice' }), run.open('bob', { name: 'Bob' })]);
  await Promise.all([a.peer.waitForPeer('Bob'), b.peer.waitForPeer('Alice')]);
  return { alice: a.peer, bob: b.peer, ids: await Promise.all([loginOf(a.page), loginOf(b.page)]) };
}

/**
 * Stops the server, runs `whileDown` (bounded), starts it again on the same port with the same store;
 * returns the outage in ms and who logged in and subscribed on the new server.
 */
async function restart(s: Suite, whileDown: () => Promise<void>): Promise<{ outageMs: number; loggedIn: Set<string>; subscribed: Set<string> }> {
  const port = s.running.port;
  const stoppedAt = Date.now();
  await s.stopServer();
  await whileDown();
  const server = await s.startServer();
  const outageMs = Date.now() - stoppedAt;
  expect(server.port).toBe(port);
  const loggedIn = new Set<string>();
  const subscribed = new Set<string>();
  server.events.on('login', (e) => {
    if (e.ok) loggedIn.add(e.login.split('@')[0]);
  });
  server.events.on('subscribe', (e) => subscribed.add(e.client));
  return { outageMs, loggedIn, subscribed };
}

scenario('6. server restart while idle: both reconnect, log in, resubscribe and see each other without a reload', async (run) => {
  const { alice, bob, ids } = await twoPeers(run);
  const { outageMs, loggedIn, subscribed } = await restart(suite, async () => {
    await Promise.all([alice.waitForStatus(/^Connection lost — reconnecting/, 1500), bob.waitForStatus(/^Connection lost — reconnecting/, 1500)]);
  });
  expect(outageMs).toBeLessThan(2000);

  await Promise.all([alice.waitForStatus(/^Online$/), bob.waitForStatus(/^Online$/)]);
  await until(async () => ids.every((id) => loggedIn.has(id)) && subscribed.size >= 2, Boolean, { timeout: 20_000, what: 'both clients to log in and subscribe again' });
  await Promise.all([alice.waitForPeer('Bob'), bob.waitForPeer('Alice')]);
  // Presence and peer messages flow through the new server: a call rings, and can be declined.
  await alice.call('Bob');
  await bob.waitForDialog('Alice is calling');
  await bob.decline();
  await alice.waitForStatus(/^Bob declined the call$/);
});

scenario('7. server restart during a call: media keeps flowing while it is down; hang-up works afterwards', async (run) => {
  const { alice, bob, ids } = await twoPeers(run);
  await alice.call('Bob');
  await bob.waitForDialog('Alice is calling');
  await bob.accept();
  await Promise.all([alice.waitForRemoteVideo(), bob.waitForRemoteVideo()]);

  const { outageMs, loggedIn } = await restart(suite, async () => {
    const [a0, b0] = await Promise.all([alice.media(), bob.media()]);
    // Frames decoded keep rising on both sides with no signalling server at all.
    await Promise.all([
      alice.waitForMedia((m) => m.framesDecoded >= a0.framesDecoded + 10, 'frames decoded rising while the server is down', 1500),
      bob.waitForMedia((m) => m.framesDecoded >= b0.framesDecoded + 10, 'frames decoded rising while the server is down', 1500),
    ]);
    // The call goes on; the status adds what the signalling does meanwhile (retrying at once, or counting down).
    expect(await alice.status()).toMatch(/^In a call with Bob \((Connection lost — reconnecting|Connecting)/);
  });
  expect(outageMs).toBeLessThan(2000);

  await Promise.all([alice.waitForStatus(/^In a call with Bob$/), bob.waitForStatus(/^In a call with Alice$/)]);
  await until(async () => ids.every((id) => loggedIn.has(id)), Boolean, { timeout: 20_000, what: 'both clients to log in again' });
  const [a1, b1] = await Promise.all([alice.media(), bob.media()]);
  await Promise.all([
    alice.waitForMedia((m) => m.framesDecoded > a1.framesDecoded && m.source === 'remote', 'media still flowing after the restart'),
    bob.waitForMedia((m) => m.framesDecoded > b1.framesDecoded && m.source === 'remote', 'media still flowing after the restart'),
  ]);

  await alice.hangUp();
  await bob.waitForStatus(/^Alice hung up$/);
  await Promise.all([alice.waitForIdleMedia(), bob.waitForIdleMedia()]);
});
