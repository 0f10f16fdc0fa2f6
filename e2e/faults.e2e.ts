// Network faults in CI: nftables rules on `lo` (bench/nft-fault.ts) inside the loopback-only namespace.
// Playwright drives Chromium over a pipe, so a blackout cuts the pages and the server, not the driver.
import { clearFaults, withFault } from '../bench/nft-fault';
import type { PeerPage } from './support/peer-page';
import { useSuite, type TestRun } from './support/session';

const { scenario } = useSuite();
const BLACKOUT = { kind: 'blackout' } as const;

/** Long enough that ICE alone cannot bring the call back: the restart needs signalling. */
const CALL_BLACKOUT_MS = 25_000;
/** The status must stop saying "Online" within 15 s of the cut; the blackout outlasts that a little. */
const IDLE_BLACKOUT_MS = 17_000;
/** Video resumes by ICE restart once signalling is back: generous on this busy 2-core box. */
const RESUME_MS = 30_000;

afterEach(() => clearFaults()); // a failed wait must never leave lo dropping everything

async function twoPeers(run: TestRun): Promise<{ alice: PeerPage; bob: PeerPage }> {
  const [a, b] = await Promise.all([run.open('alice', { name: 'Alice' }), run.open('bob', { name: 'Bob' })]);
  await Promise.all([a.peer.waitForPeer('Bob'), b.peer.waitForPeer('Alice')]);
  return { alice: a.peer, bob: b.peer };
}

/**
 * Resolves once the page decodes remote video frames again: 5 more than the lowest count seen from the
 * restore on (the counter may restart with the stats of a restarted transport, so "more than at restore" alone would mislead).
 */
async function videoAdvances(peer: PeerPage, timeout: number): Promise<void> {
  let low = (await peer.media()).framesDecoded;
  await peer.waitForMedia(
    (m) => {
      low = Math.min(low, m.framesDecoded);
      return m.source === 'remote' && m.framesDecoded > low + 5;
    },
    'remote frames decoded advancing by 5',
    timeout,
  );
}

scenario(
  '1. a 25 s blackout in a call: the call stays up saying "Reconnecting", video resumes both ways, hang-up works',
  async (run) => {
    const { alice, bob } = await twoPeers(run);
    await alice.call('Bob');
    await bob.waitForDialog('Alice is calling');
    await bob.accept();
    await Promise.all([alice.waitForRemoteVideo(), bob.waitForRemoteVideo()]);
    await Promise.all([alice.waitForStatus(/^In a call with Bob$/), bob.waitForStatus(/^In a call with Alice$/)]);

    await withFault(BLACKOUT, CALL_BLACKOUT_MS, async () => {
      await Promise.all([alice.waitForStatus(/^Reconnecting to Bob…/), bob.waitForStatus(/^Reconnecting to Alice…/)]);
      expect(await alice.menu()).toEqual(['Hang up']);
      expect(await bob.menu()).toEqual(['Hang up']);
    });
    // Still the same call when the network returns (not ended and idle).
    expect(await alice.status()).toMatch(/^Reconnecting to Bob…/);
    expect(await bob.status()).toMatch(/^Reconnecting to Alice…/);

    await Promise.all([videoAdvances(alice, RESUME_MS), videoAdvances(bob, RESUME_MS)]);
    await Promise.all([alice.waitForStatus(/^In a call with Bob$/), bob.waitForStatus(/^In a call with Alice$/)]);
    await alice.hangUp();
    await Promise.all([alice.waitForIdleMedia(), bob.waitForIdleMedia()]);
    await bob.waitForStatus(/^Alice hung up$/);
    await Promise.all([alice.waitForPeer('Bob'), bob.waitForPeer('Alice')]);
  },
  120_000,
);

scenario(
  '2. an idle blackout: both say the connection was lost within 15 s and show the other offline; a call placed at restore rings and connects',
  async (run) => {
    const { alice, bob } = await twoPeers(run);
    await withFault(BLACKOUT, IDLE_BLACKOUT_MS, async () => {
      const within = 15_000; // withFault calls this right after the rule holds
      await Promise.all([alice.waitForStatus(/^Connection lost/, within), bob.waitForStatus(/^Connection lost/, within)]);
      await Promise.all([
        alice.waitForMenu((m) => m.includes('Bob (offline)') && !m.includes('Call Bob'), '"Bob (offline)", not callable', 2_000),
        bob.waitForMenu((m) => m.includes('Alice (offline)') && !m.includes('Call Alice'), '"Alice (offline)", not callable', 2_000),
      ]);
    });

    // The caller clicks Call the moment it is offered again; the callee rings.
    await alice.waitForPeer('Bob');
    await alice.call('Bob');
    await bob.waitForDialog('Alice is calling');
    await bob.accept();
    await Promise.all([alice.waitForRemoteVideo(), bob.waitForRemoteVideo()]);
    await Promise.all([alice.waitForStatus(/^In a call with Bob$/), bob.waitForStatus(/^In a call with Alice$/)]);
    await bob.hangUp();
    await Promise.all([alice.waitForIdleMedia(), bob.waitForIdleMedia()]);
    // Both callable again.
    await Promise.all([alice.waitForPeer('Bob'), bob.waitForPeer('Alice')]);
  },
  90_000,
);
