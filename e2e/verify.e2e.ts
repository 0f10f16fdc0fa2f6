import { inCall } from './support/in-call';
import { WAIT_MS, type PeerPage } from './support/peer-page';
import { useSuite } from './support/session';
import { until } from './support/wait';

const { scenario } = useSuite();

/** README's screenshot (docs/screenshots/), taken only when asked: `SCREENSHOTS=1`. */
const screenshot = async (p: PeerPage, name: string): Promise<void> => {
  if (process.env.SCREENSHOTS) await p.page.screenshot({ path: `docs/screenshots/${name}.png` });
};

const SIX_WORDS = /^[a-z]+( [a-z]+){5}$/;

/** Presses Verify in the call controls and reads the words the dialog shows. */
async function verifyWords(p: PeerPage, other: string): Promise<string> {
  // Like a person: move the mouse first, as the controls fade after 3 s without activity.
  await p.page.mouse.move(200 + Math.random() * 100, 200 + Math.random() * 100);
  await p.page.locator('#call-controls').getByRole('button', { name: 'Verify', exact: true }).click();
  await p.waitForDialog(`Verify the call with ${other}`);
  // The dialog's whole text, so a failure shows what it said instead ("not available", "Reading…").
  const wordsIn = (text: string) => text.split('\n').map((line) => line.trim()).find((line) => SIX_WORDS.test(line));
  const text = await until(() => p.page.locator('#modal-content').innerText(), (t) => wordsIn(t) !== undefined, { timeout: WAIT_MS, what: `${p.label}'s security words` });
  return wordsIn(text) ?? '';
}

const answer = (p: PeerPage, name: 'They match' | "They don't match" | 'Close') => p.page.locator('#modal-content').getByRole('button', { name, exact: true }).click();

/**
 * In the page, before its scripts: getStats reports the remote certificate with another fingerprint
 * (its first hex digit changed), as if someone in between had given this side its own certificate.
 * Runs in the browser: self-contained.
 */
function alterRemoteCertificate(): void {
  const proto = window.RTCPeerConnection.prototype;
  const getStats = proto.getStats;
  proto.getStats = async function (this: RTCPeerConnection, selector?: MediaStreamTrack | null): Promise<RTCStatsReport> {
    const report = await getStats.call(this, selector);
    const remote = new Set<string>();
    report.forEach((s: { type: string; remoteCertificateId?: string }) => {
      if (s.type === 'transport' && s.remoteCertificateId !== undefined) remote.add(s.remoteCertificateId);
    });
    const altered = new Map<string, unknown>();
    report.forEach((s: { fingerprint?: string }, id: string) => {
      const fp = s.fingerprint ?? '';
      altered.set(id, remote.has(id) ? { ...s, fingerprint: `${fp.startsWith('0') ? '1' : '0'}${fp.slice(1)}` } : s);
    });
    return altered;
  };
}

scenario('both sides open Verify and see the same six words; "They match" on both: verified', async (run) => {
  const { alice, bob } = await inCall(run);
  const [seenByAlice, seenByBob] = await Promise.all([verifyWords(alice, 'Bob'), verifyWords(bob, 'Alice')]);
  expect(seenByAlice).toMatch(SIX_WORDS);
  expect(seenByBob).toBe(seenByAlice);
  await expect(alice.page.locator('#modal-content').innerText()).resolves.toContain('Read these words to Bob. If Bob sees the same words, nobody is in between.');
  await screenshot(alice, 'verify');
  await Promise.all([answer(alice, 'They match'), answer(bob, 'They match')]);
  await Promise.all([alice.waitForStatus(/^In a call with Bob — verified$/), bob.waitForStatus(/^In a call with Alice — verified$/)]);
  await Promise.all([alice.waitForDialog(null), bob.waitForDialog(null)]);
  await expect(alice.page.locator('#call-controls [data-intent="verify"]').textContent()).resolves.toBe('Verified');
});

scenario("someone in between (Alice's page sees another certificate): different words; \"They don't match\" ends the call on both sides with the warning", async (run) => {
  const { alice, bob } = await inCall(run, { routes: (context) => context.addInitScript(alterRemoteCertificate) });
  const [seenByAlice, seenByBob] = await Promise.all([verifyWords(alice, 'Bob'), verifyWords(bob, 'Alice')]);
  expect(seenByAlice).toMatch(SIX_WORDS);
  expect(seenByBob).toMatch(SIX_WORDS);
  expect(seenByBob).not.toBe(seenByAlice);
  await answer(bob, "They don't match");
  await bob.waitForStatus(/^Call ended: the security words did not match — someone may be listening in\. Call again from a trusted network\.$/);
  await alice.waitForStatus(/^Bob hung up$/);
  await Promise.all([alice.waitForIdleMedia(), bob.waitForIdleMedia(), alice.waitForDialog(null), bob.waitForDialog(null)]);
});
