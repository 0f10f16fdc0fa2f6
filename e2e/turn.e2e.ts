// A relay-only call through Debian's coturn on 127.0.0.1, configured from deploy/coturn/turnserver.conf,
// with credentials the development server mints per page; and the same policy with no TURN server
// reachable, which must fail with a status that says so.
import type { Page } from 'playwright-core';
import { coturnAddress, startCoturn, type Coturn } from './support/coturn';
import type { PeerPage } from './support/peer-page';
import { useSuite, type TestRun } from './support/session';

/** The selected candidate pair of each open RTCPeerConnection, and the types of every local candidate. */
interface PathSeen {
  readonly local: string | null;
  readonly remote: string | null;
  readonly gathered: readonly string[];
}

function pathsOf(page: Page): Promise<PathSeen[]> {
  return page.evaluate(async () => {
    type Stat = { id: string; type: string; selectedCandidatePairId?: string; nominated?: boolean; state?: string; localCandidateId?: string; remoteCandidateId?: string; candidateType?: string };
    const pcs = (window as unknown as { __e2e: { pcs: RTCPeerConnection[] } }).__e2e.pcs.filter((pc) => pc.signalingState !== 'closed');
    const seen: PathSeen[] = [];
    for (const pc of pcs) {
      const stats = new Map<string, Stat>();
      (await pc.getStats()).forEach((s: Stat) => stats.set(s.id, s));
      const all = [...stats.values()];
      const selectedId = all.find((s) => s.type === 'transport' && s.selectedCandidatePairId)?.selectedCandidatePairId;
      const pair = selectedId !== undefined ? stats.get(selectedId) : all.find((s) => s.type === 'candidate-pair' && s.nominated === true && s.state === 'succeeded');
      seen.push({
        local: (pair?.localCandidateId && stats.get(pair.localCandidateId)?.candidateType) || null,
        remote: (pair?.remoteCandidateId && stats.get(pair.remoteCandidateId)?.candidateType) || null,
        gathered: all.filter((s) => s.type === 'local-candidate').map((s) => s.candidateType ?? '?'),
      });
    }
    return seen;
  });
}

async function callAccepted(run: TestRun): Promise<{ alice: PeerPage; bob: PeerPage; pages: Page[] }> {
  const [a, b] = await Promise.all([run.open('alice', { name: 'Alice' }), run.open('bob', { name: 'Bob' })]);
  await Promise.all([a.peer.waitForPeer('Bob'), b.peer.waitForPeer('Alice')]);
  await a.peer.call('Bob');
  await b.peer.waitForDialog('Alice is calling');
  await b.peer.accept();
  return { alice: a.peer, bob: b.peer, pages: [a.page, b.page] };
}

describe('relay only, through coturn', () => {
  const address = coturnAddress();
  let coturn: Coturn | null = null;
  // Declared before the suite, so coturn is up before the server issues its first page.
  beforeAll(async () => {
    coturn = await startCoturn(address);
  }, 20_000);
  afterAll(() => coturn?.stop(), 10_000);
  const { scenario } = useSuite({ ice: { turn: { secret: address.secret, urls: [address.url] }, iceTransportPolicy: 'relay' } });

  scenario('1. a call with iceTransportPolicy relay goes relay/relay through coturn and both play the other’s video', async (run) => {
    const { alice, bob, pages } = await callAccepted(run);
    await Promise.all([alice.waitForRemoteVideo(), bob.waitForRemoteVideo()]);
    await Promise.all([alice.waitForStatus(/^In a call with Bob$/), bob.waitForStatus(/^In a call with Alice$/)]);
    for (const page of pages) {
      const paths = await pathsOf(page);
      expect(paths).toHaveLength(1);
      expect(paths[0]).toMatchObject({ local: 'relay', remote: 'relay' });
      // The policy, not luck: the browser did not even gather its host address.
      expect(new Set(paths[0].gathered)).toEqual(new Set(['relay']));
      // coturn took the credentials minted for this page: its allocation is logged under `<expiry>:<client id>`.
      const login = await page.evaluate(() => (JSON.parse(document.getElementById('channel-config')?.textContent ?? '{}') as { login: string }).login);
      const allocated = new RegExp(`user <\\d+:${login.split('@')[0]}>: incoming packet ALLOCATE processed, success`);
      expect(coturn?.log.some((line) => allocated.test(line))).toBe(true);
    }
  });
});

describe('relay only, no TURN server reachable', () => {
  // Nothing listens there: the allocation gets ICMP port unreachable, so no candidate at all.
  const { url: nowhere } = coturnAddress();
  const { scenario } = useSuite({ ice: { turn: { secret: 'unused', urls: [nowhere] }, iceTransportPolicy: 'relay' } });

  scenario(
    '2. the call fails and the status says the other side could not be reached',
    async (run) => {
      const { alice, bob } = await callAccepted(run);
      const acceptedAt = Date.now();
      // With no candidate at all ICE never reports failed: the call's connect deadline (30 s) ends it.
      const ended = /^(Could not connect to|Call with) (Alice|Bob)/;
      const [a, b] = await Promise.all([alice.waitForStatus(ended, 35_000), bob.waitForStatus(ended, 35_000)]);
      const elapsed = Date.now() - acceptedAt;
      process.stdout.write(`[turn.e2e] relay with no TURN reachable, ${elapsed} ms after Accept: Alice "${a}", Bob "${b}"\n`);
      // The side whose deadline fired says why (no network path, a relay may be needed); the other one
      // learns of the failure from it.
      expect([a, b].filter((status) => status.includes('a relay (TURN) server may be needed')).length).toBeGreaterThan(0);
      expect(a).toMatch(/Bob/);
      expect(b).toMatch(/Alice/);
      await Promise.all([alice.waitForIdleMedia(), bob.waitForIdleMedia()]);
    },
    50_000,
  );
});
