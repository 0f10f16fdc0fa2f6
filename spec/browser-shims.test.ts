import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { applyBrowserShims, shimsFor } from '../src/browser-shims';
import { CHROMIUM_WITHOUT_SHIMS, FIREFOX_WITHOUT_SHIMS } from '../src/shims/versions';

const CHROME_UA = (v: number) => `Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v}.0.0.0 Safari/537.36`;

/** A window as webrtc-adapter's detection and shims read it; RTCPeerConnection with a legacy addTrack shape. */
function fakeWindow(navigator: Record<string, unknown>): Window & { RTCPeerConnection: { prototype: Record<string, unknown> } } {
  class RTCPeerConnection {}
  Object.assign(RTCPeerConnection.prototype, { addTrack(this: unknown) { return 'native'; }, addIceCandidate(_c: unknown) { return Promise.resolve(); } });
  return { navigator, RTCPeerConnection, isSecureContext: true } as unknown as Window & { RTCPeerConnection: { prototype: Record<string, unknown> } };
}

describe('shimsFor (which adapter chunk a browser loads)', () => {
  it('current Chromium loads none; an older or unreadable one as the adapter would', () => {
    expect(shimsFor({ browser: 'chrome', version: CHROMIUM_WITHOUT_SHIMS })).toBe('none');
    expect(shimsFor({ browser: 'chrome', version: 156 })).toBe('none');
    expect(shimsFor({ browser: 'chrome', version: CHROMIUM_WITHOUT_SHIMS - 1 })).toBe('chrome');
    expect(shimsFor({ browser: 'chrome', version: null })).toBe('none'); // the adapter does not shim it either
  });

  it('current Firefox loads none; an older or unreadable one its chunk', () => {
    expect(shimsFor({ browser: 'firefox', version: FIREFOX_WITHOUT_SHIMS })).toBe('none');
    expect(shimsFor({ browser: 'firefox', version: 153 })).toBe('none');
    expect(shimsFor({ browser: 'firefox', version: FIREFOX_WITHOUT_SHIMS - 1 })).toBe('firefox');
    expect(shimsFor({ browser: 'firefox', version: Number.NaN })).toBe('firefox'); // the adapter shims it
    expect(shimsFor({ browser: 'firefox', version: null })).toBe('firefox');
  });

  it('Safari always loads its chunk; an unknown browser nothing', () => {
    expect(shimsFor({ browser: 'safari', version: 605 })).toBe('safari');
    expect(shimsFor({ browser: 'Not a supported browser.', version: null })).toBe('none');
    expect(shimsFor({ browser: null, version: null })).toBe('none');
  });
});

describe('applyBrowserShims', () => {
  it('an older Chromium gets the adapter’s Chromium shims applied to its window', async () => {
    const win = fakeWindow({ userAgent: CHROME_UA(120), webkitGetUserMedia: () => undefined });
    const nativeAddTrack = win.RTCPeerConnection.prototype.addTrack;
    await expect(applyBrowserShims(win)).resolves.toBe('chrome');
    expect(win.RTCPeerConnection.prototype.addTrack).not.toBe(nativeAddTrack); // shimAddTrackRemoveTrack ran
    expect(typeof win.RTCPeerConnection.prototype.getLocalStreams).toBe('function');
  });

  it('current Chromium and jsdom are left alone', async () => {
    const win = fakeWindow({ userAgent: CHROME_UA(156), webkitGetUserMedia: () => undefined, userAgentData: { brands: [{ brand: 'Chromium', version: '156' }] } });
    const nativeAddTrack = win.RTCPeerConnection.prototype.addTrack;
    await expect(applyBrowserShims(win)).resolves.toBe('none');
    expect(win.RTCPeerConnection.prototype.addTrack).toBe(nativeAddTrack);
    await expect(applyBrowserShims(window)).resolves.toBe('none');
  });

  it('an older Firefox gets its own shims; Firefox ESR 153 is left alone', async () => {
    const firefox = (v: number) => fakeWindow({ userAgent: `Mozilla/5.0 (X11; Linux x86_64; rv:${v}.0) Gecko/20100101 Firefox/${v}.0`, mozGetUserMedia: () => undefined });
    const old = firefox(140);
    await expect(applyBrowserShims(old)).resolves.toBe('firefox');
    expect(typeof old.RTCPeerConnection.prototype.removeStream).toBe('function'); // shimRemoveStream ran
    const current = firefox(153);
    await expect(applyBrowserShims(current)).resolves.toBe('none');
    expect(current.RTCPeerConnection.prototype.removeStream).toBeUndefined();
  });

  it('Safari gets its own shims', async () => {
    const win = fakeWindow({ userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15' });
    await expect(applyBrowserShims(win)).resolves.toBe('safari');
  });
});

describe('what skipping the shims relies on', () => {
  const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
  // src/shims/ is left out: it names the shims it skips, in comments.
  const using = (pattern: RegExp): string[] => files(join(__dirname, '../src')).filter((f) => /\.ts$/.test(f) && !f.includes('/src/shims/') && pattern.test(readFileSync(f, 'utf8')));

  it('src never calls the legacy stream API whose bookkeeping the adapter would add (getLocalStreams, addStream, removeStream, getRemoteStreams)', () => {
    expect(using(/\.(getLocalStreams|addStream|removeStream|getRemoteStreams)\s*\(|\bonaddstream\b/)).toEqual([]);
  });

  it('src never uses what the other skipped Firefox and Safari shims provide (src/shims/safari.ts says which)', () => {
    expect(using(/\bnavigator\.getUserMedia\b|\bcreateDataChannel\b|\bsctp\b|\brelayProtocol\b|\bofferToReceive(Audio|Video)\b|\.transceiver\b/)).toEqual([]);
  });
});
