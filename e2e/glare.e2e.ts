import { clickCallAt } from './support/click-at';
import { useSuite } from './support/session';

const { scenario } = useSuite();

scenario(
  '5. glare: both call each other in the same tick, 10 times: exactly one call connects and both agree',
  async (run) => {
    const [a, b] = await Promise.all([run.open('alice', { name: 'Alice' }), run.open('bob', { name: 'Bob' })]);
    const alice = a.peer;
    const bob = b.peer;
    await Promise.all([alice.waitForPeer('Bob'), bob.waitForPeer('Alice')]);
    // A person's click first: the remote video plays unmuted, which Chromium allows after a user gesture.
    await Promise.all([a.page.locator('#nav-status').click(), b.page.locator('#nav-status').click()]);

    for (let round = 1; round <= 10; round += 1) {
      const at = Date.now() + 300;
      const after = await Promise.all([clickCallAt((f, x) => a.page.evaluate(f, x), 'Bob', at), clickCallAt((f, x) => b.page.evaluate(f, x), 'Alice', at)]);
      // Both really offered: each was calling the other when it clicked.
      expect({ round, after }).toEqual({ round, after: ['Calling Bob…', 'Calling Alice…'] });
      await Promise.all([alice.waitForStatus(/^In a call with Bob$/), bob.waitForStatus(/^In a call with Alice$/)]);
      const [ma, mb] = await Promise.all([alice.waitForRemoteVideo(), bob.waitForRemoteVideo()]);
      // Exactly one call: one open RTCPeerConnection on each side, no dialog left ringing.
      expect({ round, alice: ma.openPeerConnections, bob: mb.openPeerConnections }).toEqual({ round, alice: 1, bob: 1 });
      expect({ round, dialogs: [await alice.dialog(), await bob.dialog()] }).toEqual({ round, dialogs: [null, null] });

      await (round % 2 === 1 ? alice : bob).hangUp();
      await Promise.all([alice.waitForIdleMedia(), bob.waitForIdleMedia()]);
      await Promise.all([alice.waitForPeer('Bob'), bob.waitForPeer('Alice')]);
    }
  },
  150_000,
);
