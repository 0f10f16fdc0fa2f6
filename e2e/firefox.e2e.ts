// One Chromium ↔ Firefox ESR call and a glare round: Firefox is Debian's firefox-esr driven by
// puppeteer-core over WebDriver BiDi (e2e/support/firefox.ts), Chromium the suite's own.
import type { Browser } from 'puppeteer-core';
import { clickCallAt } from './support/click-at';
import { FirefoxPeer, launchFirefox } from './support/firefox';
import { useSuite } from './support/session';

const { scenario } = useSuite();
let firefox: Browser | null = null;
beforeAll(async () => {
  firefox = await launchFirefox();
}, 60_000);
afterAll(() => firefox?.close(), 20_000);

scenario(
  '1. Chromium and Firefox ESR: Firefox calls, Chromium accepts, video both ways; then glare gives exactly one call',
  async (run) => {
    if (firefox === null) throw new Error('Firefox did not launch');
    const c = await run.open('chromium', { name: 'Cleo' });
    const chrome = c.peer;
    const fox = await FirefoxPeer.open(firefox, run.channelUrl, 'firefox', 'Finn');
    try {
      await Promise.all([chrome.waitForPeer('Finn'), fox.waitForPeer('Cleo')]);
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
    } catch (error) {
      await fox.saveArtifacts(`${run.artifacts}-firefox`);
      throw error;
    } finally {
      await fox.page.close().catch(() => undefined);
    }
  },
  90_000,
);

