import { PeerPage } from './support/peer-page';
import { useSuite, type TestRun } from './support/session';

const { scenario } = useSuite();

/** Opens Alice and Bob on the test's channel at the same time and waits until each can call the other. */
async function twoPeers(run: TestRun): Promise<{ alice: PeerPage; bob: PeerPage }> {
  const [a, b] = await Promise.all([run.open('alice', { name: 'Alice' }), run.open('bob', { name: 'Bob' })]);
  await Promise.all([a.peer.waitForPeer('Bob'), b.peer.waitForPeer('Alice')]);
  return { alice: a.peer, bob: b.peer };
}

/** Alice calls Bob, Bob accepts; both see the other's video. Returns ms from Accept to both playing. */
async function connect(alice: PeerPage, bob: PeerPage): Promise<number> {
  await alice.call('Bob');
  await alice.waitForStatus(/^Calling Bob…$/);
  await bob.waitForDialog('Alice is calling');
  expect(await bob.status()).toBe('Alice is calling');
  const acceptedAt = Date.now();
  await bob.accept();
  await Promise.all([alice.waitForRemoteVideo(), bob.waitForRemoteVideo()]);
  const elapsed = Date.now() - acceptedAt;
  await Promise.all([alice.waitForStatus(/^In a call with Bob$/), bob.waitForStatus(/^In a call with Alice$/)]);
  await bob.waitForDialog(null);
  return elapsed;
}

async function bothIdle(alice: PeerPage, bob: PeerPage): Promise<void> {
  await Promise.all([alice.waitForIdleMedia(), bob.waitForIdleMedia()]);
  await Promise.all([alice.waitForPeer('Bob'), bob.waitForPeer('Alice')]);
  await Promise.all([alice.waitForDialog(null), bob.waitForDialog(null)]);
}

scenario('1. both clients on one channel show each other as available within 2 s of load', async (run) => {
  const { alice, bob } = await twoPeers(run);
  const [a, b] = await Promise.all([alice.loadAndFirstPeer(), bob.loadAndFirstPeer()]);
  const bothLoaded = Math.max(a.loadedAt, b.loadedAt);
  expect(await alice.status()).toBe('Online');
  expect(await bob.status()).toBe('Online');
  // From the moment both pages had loaded to each one's first `Call …` entry.
  expect(a.firstPeerAt! - bothLoaded).toBeLessThan(2000);
  expect(b.firstPeerAt! - bothLoaded).toBeLessThan(2000);
});

scenario('2. A calls B, B accepts: both play the other one’s video within 5 s', async (run) => {
  const { alice, bob } = await twoPeers(run);
  const elapsed = await connect(alice, bob);
  expect(elapsed).toBeLessThan(5000);
  const [a, b] = await Promise.all([alice.media(), bob.media()]);
  expect(a).toMatchObject({ source: 'remote', fit: 'contain', paused: false, openPeerConnections: 1 });
  expect(b).toMatchObject({ source: 'remote', fit: 'contain', paused: false, openPeerConnections: 1 });
  expect(await alice.menu()).toEqual(['Hang up']);
  expect(await bob.menu()).toEqual(['Hang up']);
});

scenario('3. hang-up from either side returns both to idle with no live remote tracks', async (run) => {
  const { alice, bob } = await twoPeers(run);
  await connect(alice, bob);
  await alice.hangUp();
  await bothIdle(alice, bob);
  await bob.waitForStatus(/^Alice hung up$/);
  await alice.waitForStatus(/^Online$/);

  await connect(alice, bob);
  await bob.hangUp();
  await bothIdle(alice, bob);
  await alice.waitForStatus(/^Bob hung up$/);
});

scenario('4. decline and rescind close the dialog and leave both idle', async (run) => {
  const { alice, bob } = await twoPeers(run);
  await alice.call('Bob');
  await bob.waitForDialog('Alice is calling');
  await bob.decline();
  await bob.waitForDialog(null);
  await alice.waitForStatus(/^Bob declined the call$/);
  await bothIdle(alice, bob);

  await alice.call('Bob');
  await bob.waitForDialog('Alice is calling');
  expect(await alice.menu()).toEqual(['Cancel']);
  await alice.cancel();
  await bob.waitForDialog(null);
  await bob.waitForStatus(/^Missed call from Alice$/);
  await bothIdle(alice, bob);
});
