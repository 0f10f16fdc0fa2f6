import type { BrowserContext, Request } from 'playwright-core';
import { CHROMIUM_WITHOUT_SHIMS } from '../src/shims/versions';
import { adapterDiffScript, type AdapterDiff } from './support/adapter-diff';
import { useSuite } from './support/session';

const { suite, scenario } = useSuite();

const shimRequests = (requests: readonly Request[]): string[] => requests.map((r) => new URL(r.url()).pathname).filter((p) => /\/shims-[a-z]+\.[0-9a-f]+\.js$/.test(p));

/** `routes` for run.open: the page's requests recorded into `into`, `init` run before the page's scripts (what the adapter detects). */
const emulating = (into: Request[], init: () => void) => async (context: BrowserContext): Promise<void> => {
  context.on('request', (r) => into.push(r));
  await context.addInitScript(init);
};

/** What the adapter still changes in current Chromium: bookkeeping for the legacy getLocalStreams (src never calls it; spec/browser-shims.test.ts). */
const LEGACY_STREAM_API = ['addStream', 'addTrack', 'getLocalStreams', 'removeStream', 'removeTrack'];

scenario('the Chromium we test needs nothing of webrtc-adapter but its legacy-stream bookkeeping', async () => {
  // The complete adapter on a blank page: every WebRTC and media global, its prototype's properties,
  // navigator's and navigator.mediaDevices' are compared before and after (e2e/support/adapter-diff.ts).
  const context = await suite.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto('about:blank');
    const outcome = await page.evaluate<AdapterDiff>(adapterDiffScript());
    expect(outcome.details?.browser).toBe('chrome');
    expect(outcome.compared).toBeGreaterThan(300);
    const legacy = LEGACY_STREAM_API.flatMap((m) => [`RTCPeerConnection.prototype.${m}`, `webkitRTCPeerConnection.prototype.${m}`]);
    expect([...outcome.changed].sort()).toEqual([...legacy].sort());
    // The bundle's own rule (src/browser-shims.ts) must agree: this Chromium loads no shim chunk.
    expect(outcome.details?.version).toBeGreaterThanOrEqual(CHROMIUM_WITHOUT_SHIMS);
  } finally {
    await context.close();
  }
});

scenario('the channel page loads no shim chunk in current Chromium, and an older Chromium gets its chunk under the strict CSP', async (run) => {
  const requests: Request[] = [];
  const current = await run.open('current', { name: 'Cora', routes: async (context) => void context.on('request', (r) => requests.push(r)) });
  await current.peer.waitForStatus(/^Online$/);
  expect(shimRequests(requests)).toEqual([]);

  // Chromium 120 as webrtc-adapter sees it (navigator.userAgentData): the page fetches the Chromium chunk
  // from 'self' (the server sends script-src 'self'), applies it and goes online.
  const older: Request[] = [];
  const old = await run.open('older', {
    name: 'Olga',
    routes: emulating(older, () => {
      Object.defineProperty(Navigator.prototype, 'userAgentData', { configurable: true, get: () => ({ brands: [{ brand: 'Chromium', version: '120' }] }) });
    }),
  });
  await old.peer.waitForStatus(/^Online$/);
  expect(shimRequests(older)).toEqual([expect.stringMatching(/^\/static\/shims-chrome\./)]);
  expect(old.console.filter((l) => /pageerror|Content Security Policy/i.test(l))).toEqual([]);
  await Promise.all([current.peer.waitForPeer('Olga'), old.peer.waitForPeer('Cora')]);
});

scenario('a Safari as webrtc-adapter sees it (emulated in Chromium) fetches the trimmed Safari chunk under the strict CSP and calls with video both ways', async (run) => {
  const current = await run.open('current', { name: 'Cora' });
  const requests: Request[] = [];
  const safari = await run.open('safari', {
    name: 'Sam',
    // webrtc-adapter's detection (utils.js) in order: no Chromium brand, no webkitGetUserMedia, an AppleWebKit user agent.
    routes: emulating(requests, () => {
      Object.defineProperty(Navigator.prototype, 'userAgentData', { configurable: true, get: () => undefined });
      delete (Navigator.prototype as { webkitGetUserMedia?: unknown }).webkitGetUserMedia;
      const ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
      Object.defineProperty(Navigator.prototype, 'userAgent', { configurable: true, get: () => ua });
    }),
  });
  await Promise.all([current.peer.waitForPeer('Sam'), safari.peer.waitForPeer('Cora')]);
  expect(shimRequests(requests)).toEqual([expect.stringMatching(/^\/static\/shims-safari\./)]);
  // The chunk's getUserMedia wrapper and the rest of what it keeps are in the path of a call.
  await safari.peer.call('Cora');
  await current.peer.waitForDialog('Sam is calling');
  await current.peer.accept();
  await Promise.all([current.peer.waitForRemoteVideo(), safari.peer.waitForRemoteVideo()]);
  expect(safari.console.filter((l) => /pageerror|Content Security Policy/i.test(l))).toEqual([]);
});
