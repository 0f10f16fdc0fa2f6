// Chromium ↔ Firefox ESR calls: a basic call and a glare round, the in-call controls pressed in Firefox, and which of
// webrtc-adapter's shims current Firefox needs. Firefox is Debian's firefox-esr driven by puppeteer-core over WebDriver BiDi
// (e2e/support/firefox.ts), Chromium the suite's own.
import type { Browser } from 'puppeteer-core';
import { FIREFOX_WITHOUT_SHIMS } from '../src/shims/versions';
import { adapterDiffScript, type AdapterDiff } from './support/adapter-diff';
import { clickCallAt } from './support/click-at';
import { FirefoxPeer, launchFirefox } from './support/firefox';
import { WAIT_MS, type PeerPage } from './support/peer-page';
import { useSuite, type Client, type TestRun } from './support/session';
import { until } from './support/wait';

const { scenario } = useSuite();
let firefox: Browser | null = null;
beforeAll(async () => {
  firefox = await launchFirefox();
}, 60_000);
afterAll(() => firefox?.close(), 20_000);

/**
 * Cleo in Chromium and Finn in Firefox on one channel, each seeing the other; Finn's screenshot, console
 * and frames saved beside the Chromium artifacts if `body` fails, and his page closed after it.
 */
async function withCleoAndFinn(run: TestRun, body: (pages: { c: Client; chrome: PeerPage; fox: FirefoxPeer }) => Promise<void>): Promise<void> {
  if (firefox === null) throw new Error('Firefox did not launch');
  const c = await run.open('chromium', { name: 'Cleo' });
  const fox = await FirefoxPeer.open(firefox, run.channelUrl, 'firefox', 'Finn');
  try {
    await Promise.all([c.peer.waitForPeer('Finn'), fox.waitForPeer('Cleo')]);
    await body({ c, chrome: c.peer, fox });
  } catch (error) {
    await fox.saveArtifacts(`${run.artifacts}-firefox`);
    throw error;
  } finally {
    await fox.page.close().catch(() => undefined);
  }
}

scenario(
  '1. Chromium and Firefox ESR: Firefox calls, Chromium accepts, video both ways; then glare gives exactly one call',
  (run) =>
    withCleoAndFinn(run, async ({ c, chrome, fox }) => {
      expect(await fox.shimChunks()).toEqual([]); // current Firefox: no webrtc-adapter chunk (scenario 2)
      await fox.click('#nav-menu', 'Call Cleo');
      await fox.waitForStatus(/^Calling Cleo…$/);
      await chrome.waitForDialog('Finn is calling');
      await chrome.accept();
      await Promise.all([chrome.waitForRemoteVideo(), fox.waitForRemoteVideo()]);
      await Promise.all([chrome.waitForStatus(/^In a call with Finn$/), fox.waitForStatus(/^In a call with Cleo$/)]);
      await fox.click('#nav-menu', 'Hang up');
      await Promise.all([chrome.waitForIdleMedia(), chrome.waitForStatus(/^Finn hung up$/)]);
      await Promise.all([chrome.waitForPeer('Finn'), fox.waitForPeer('Cleo')]);

      // Glare: both click in the same tick; exactly one call results, with video both ways.
      const at = Date.now() + 300;
      const after = await Promise.all([clickCallAt((f, a) => c.page.evaluate(f, a), 'Finn', at), clickCallAt((f, a) => fox.page.evaluate(f, a), 'Cleo', at)]);
      expect(after).toEqual(['Calling Finn…', 'Calling Cleo…']);
      await Promise.all([chrome.waitForStatus(/^In a call with Finn$/), fox.waitForStatus(/^In a call with Cleo$/)]);
      await Promise.all([chrome.waitForRemoteVideo(), fox.waitForRemoteVideo()]);
      expect((await chrome.media()).openPeerConnections).toBe(1);
      expect((await fox.media()).open).toBe(1);
      expect([await chrome.dialog(), await fox.dialog()]).toEqual([null, null]);
      await chrome.hangUp();
      await Promise.all([chrome.waitForIdleMedia(), fox.waitForStatus(/^Cleo hung up$/)]);
      await fox.waitForPeer('Cleo');
      expect((await fox.media()).open).toBe(0);
    }),
  90_000,
);

scenario('2. Firefox ESR needs nothing of webrtc-adapter but the legacy getUserMedia and removeStream; an older Firefox gets its chunk under the strict CSP', async (run) => {
  if (firefox === null) throw new Error('Firefox did not launch');
  // The complete adapter on a page of the server's origin with nothing of ours (a 404: 127.0.0.1 is a secure
  // context, about:blank is not, and Firefox hides media there): every WebRTC and media global compared before and after.
  const blank = await firefox.newPage();
  try {
    await blank.goto(new URL('/static/no-such-file', run.channelUrl).href);
    const outcome = (await blank.evaluate(adapterDiffScript())) as AdapterDiff;
    expect(outcome.details?.browser).toBe('firefox');
    expect(outcome.compared).toBeGreaterThan(300);
    // Legacy APIs src never calls (spec/browser-shims.test.ts); so src/browser-shims.ts loads no chunk for this Firefox.
    expect([...outcome.changed].sort()).toEqual(['RTCPeerConnection.prototype.removeStream', 'navigator.getUserMedia']);
    expect(outcome.details?.version).toBeGreaterThanOrEqual(FIREFOX_WITHOUT_SHIMS);
  } finally {
    await blank.close();
  }

  // Firefox 140 as webrtc-adapter sees it (navigator.userAgent): the page fetches the Firefox chunk from 'self', applies it and goes online.
  const old = await FirefoxPeer.open(firefox, run.channelUrl, 'firefox-140', 'Fern', 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0');
  try {
    await old.waitForStatus(/^Online$/);
    expect(await old.shimChunks()).toEqual([expect.stringMatching(/^\/static\/shims-firefox\./)]);
    expect(old.console.filter((l) => /pageerror|Content Security Policy|CSP/i.test(l))).toEqual([]);
  } catch (error) {
    await old.saveArtifacts(`${run.artifacts}-firefox-140`);
    throw error;
  } finally {
    await old.page.close().catch(() => undefined);
  }
});

const SIX_WORDS = /^[a-z]+( [a-z]+){5}$/;
const UNAVAILABLE = 'Verification is not available in this browser.';

scenario(
  '3. in-call controls from Firefox: M and V as Chromium sees them, the camera stopped and back; Verify: Firefox "not available", Chromium six words or "not available" (its stats name the remote certificate at connect or not), so never comparable; Hang up ends it on both',
  (run) =>
    withCleoAndFinn(run, async ({ chrome, fox }) => {
      await chrome.call('Finn');
      await fox.waitForDialog('Cleo is calling');
      await fox.click('#modal-content', 'Accept');
      await Promise.all([chrome.waitForRemoteVideo(), fox.waitForStatus(/^In a call with Cleo$/)]);

      await fox.page.keyboard.press('m');
      await chrome.waitForStatus(/^In a call with Finn — Finn muted their microphone$/);
      expect((await fox.localTracks('audio')).sent).toEqual(['live disabled']);
      await fox.control('Camera off (V)');
      await chrome.waitForStatus(/Finn muted their microphone and turned their camera off$/);
      // Camera off stops the camera: nothing sent, every video track getUserMedia gave ended.
      const off = await fox.localTracks('video');
      expect(off.sent).toEqual([]);
      expect(off.acquired.length).toBeGreaterThan(0);
      expect(new Set(off.acquired)).toEqual(new Set(['ended']));
      const stalled = (await chrome.media()).framesDecoded;
      await fox.page.keyboard.press('v');
      await chrome.waitForStatus(/^In a call with Finn — Finn muted their microphone$/);
      expect((await fox.localTracks('video')).sent).toEqual(['live']);
      await chrome.waitForMedia((m) => m.source === 'remote' && m.framesDecoded > stalled + 5, `frames decoded past ${stalled} again`);
      await chrome.page.locator('#remote-camera-off').waitFor({ state: 'hidden' });

      // Verify: Firefox reports no certificate stats (docs/sas.md), so it has no words. Chromium reads its stats at
      // `connected`; with Firefox on the other end (DTLS 1.3, Chromium the DTLS client here) its transport report
      // names the remote certificate only sometimes by then (or later, or never): it shows six words or
      // "not available", run to run. Either way the call cannot be verified: Firefox has no words to compare.
      await fox.control('Verify');
      await fox.waitForDialog('Verify the call with Cleo');
      await until(() => fox.dialogText(), (t) => t.includes(UNAVAILABLE), { timeout: WAIT_MS, what: `Firefox's Verify dialog: ${JSON.stringify(UNAVAILABLE)}` });
      await chrome.page.mouse.move(200 + Math.random() * 100, 200 + Math.random() * 100);
      await chrome.page.locator('#call-controls').getByRole('button', { name: 'Verify', exact: true }).click();
      await chrome.waitForDialog('Verify the call with Finn');
      const chromeSays = await until(
        () => chrome.page.locator('#modal-content').innerText(),
        (t) => t.includes(UNAVAILABLE) || t.split('\n').some((l) => SIX_WORDS.test(l.trim())),
        { timeout: WAIT_MS, what: "Chromium's Verify dialog: words or unavailable" },
      );
      // Six words and "They match", or none: words only when the report names both certificates.
      const words = chromeSays.split('\n').map((l) => l.trim()).filter((l) => SIX_WORDS.test(l));
      const outcome = chromeSays.includes(UNAVAILABLE) ? 'not available' : words.length === 1 ? 'six words' : chromeSays;
      expect(['not available', 'six words']).toContain(outcome);
      await expect(chrome.page.locator('#modal-content').getByRole('button', { name: 'They match' }).count()).resolves.toBe(words.length);
      await Promise.all([fox.click('#modal-content', 'Close'), chrome.page.locator('#modal-content').getByRole('button', { name: 'Close', exact: true }).click()]);
      await Promise.all([fox.waitForDialog(null), chrome.waitForDialog(null)]);

      await fox.control('Hang up');
      await Promise.all([chrome.waitForIdleMedia(), chrome.waitForStatus(/^Finn hung up$/), fox.waitForPeer('Cleo')]);
      expect((await fox.media()).open).toBe(0);
      expect(new Set((await fox.localTracks('video')).acquired)).toEqual(new Set(['ended']));
    }),
  60_000,
);
