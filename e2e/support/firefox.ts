import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { installProbe, type PageProbe } from './instrument';
import { WAIT_MS } from './peer-page';
import { until } from './wait';

/** Debian's Firefox ESR (no browser download: puppeteer-core has none); FIREFOX_PATH overrides. */
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/**
 * Prefs for a closed network: fake camera and microphone without a prompt, host candidates on
 * 127.0.0.1 (without `ice.loopback` Firefox gathers none inside the loopback-only namespace), no mDNS
 * obfuscation, autoplay allowed. Camera and microphone are allowed for every site: Firefox offers only
 * its "default address" (none exists in the namespace) unless the page holds a camera or microphone
 * permission, and `permission.disabled` alone does not count as one (its ICE log says
 * "use only default local addresses: yes"). Puppeteer's own defaults already turn off updates, telemetry and the
 * other network services, and it makes a fresh profile per launch.
 */
export const FIREFOX_PREFS: Record<string, unknown> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'permissions.default.camera': 1,
  'permissions.default.microphone': 1,
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
};

/** Launches Firefox ESR over WebDriver BiDi, failing clearly (never a skip) when it is not installed. */
export async function launchFirefox(): Promise<Browser> {
  if (!existsSync(FIREFOX_PATH)) throw new Error(`Firefox not found at ${FIREFOX_PATH}: install Debian's package (apt-get install firefox-esr) or set FIREFOX_PATH`);
  return puppeteer.launch({ browser: 'firefox', protocol: 'webDriverBiDi', executablePath: FIREFOX_PATH, headless: true, extraPrefsFirefox: FIREFOX_PREFS });
}

type ProbedWindow = Window & { readonly __e2e: PageProbe };

/** The channel page in Firefox, as far as the Firefox scenario needs it (the DOM contract of static/channel.html). */
export class FirefoxPeer {
  readonly console: string[] = [];

  private constructor(
    readonly page: Page,
    readonly label: string,
  ) {}

  /** Opens `url` in a new page of `browser` with the probe installed and the display name preset (and `userAgent` as the page reads it). */
  static async open(browser: Browser, url: string, label: string, name: string, userAgent?: string): Promise<FirefoxPeer> {
    const page = await browser.newPage();
    // Wider than Picnic's 60em breakpoint, so #nav-menu shows inline rather than behind the burger.
    await page.setViewport({ width: 1280, height: 720 });
    const peer = new FirefoxPeer(page, label);
    page.on('console', (m) => peer.console.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => peer.console.push(`pageerror: ${String(e)}`));
    await page.evaluateOnNewDocument(installProbe);
    await page.evaluateOnNewDocument((value: string) => localStorage.setItem('verto-peer.name', value), name);
    if (userAgent !== undefined) await page.evaluateOnNewDocument((ua: string) => Object.defineProperty(Navigator.prototype, 'userAgent', { configurable: true, get: () => ua }), userAgent);
    await page.goto(url);
    return peer;
  }

  status(): Promise<string> {
    return this.page.evaluate(() => document.getElementById('nav-status')?.textContent ?? '');
  }

  menu(): Promise<string[]> {
    return this.page.evaluate(() => Array.from(document.querySelectorAll('#nav-menu > *')).map((e) => e.textContent ?? ''));
  }

  dialog(): Promise<string | null> {
    return this.page.evaluate(() => {
      const open = (document.getElementById('modal-control') as HTMLInputElement | null)?.checked === true;
      return open ? (document.querySelector('#modal-content h3')?.textContent ?? '') : null;
    });
  }

  waitForStatus(pattern: RegExp, timeout = WAIT_MS): Promise<string> {
    return until(() => this.status(), (t) => pattern.test(t), { timeout, what: `${this.label}'s #nav-status to match ${pattern}` });
  }

  waitForPeer(name: string, timeout = WAIT_MS): Promise<string[]> {
    return until(() => this.menu(), (m) => m.includes(`Call ${name}`), { timeout, what: `${this.label}'s #nav-menu: "Call ${name}"` });
  }

  waitForDialog(heading: string | null, timeout = WAIT_MS): Promise<string | null> {
    return until(() => this.dialog(), (d) => d === heading, { timeout, what: `${this.label}'s dialog to be ${JSON.stringify(heading)}` });
  }

  /** Clicks the button with exactly this text in `scope` (a real pointer click, so media may autoplay). */
  async click(scope: '#nav-menu' | '#modal-content', text: string): Promise<void> {
    const handle = await this.page.waitForFunction(
      (where: string, label: string) => Array.from(document.querySelectorAll<HTMLButtonElement>(`${where} button`)).find((b) => b.textContent === label),
      { timeout: WAIT_MS },
      scope,
      text,
    );
    await (handle as ElementHandle<HTMLButtonElement>).click();
  }

  /**
   * Clicks the `#call-controls` button with exactly this text, like a person: move the mouse (the bar
   * fades and ignores the pointer 3 s after the last activity), then a real pointer click; if the bar
   * faded again before it landed (a loaded machine: no `click` reached the button), move and retry.
   */
  async control(text: string, timeout = WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      await this.page.mouse.move(200 + Math.random() * 100, 200 + Math.random() * 100);
      const handle = await this.page.waitForFunction(
        (label: string) => {
          const button = Array.from(document.querySelectorAll<HTMLButtonElement>('#call-controls button')).find((b) => b.textContent === label);
          if (button === undefined || document.querySelector('nav.nav-hidden') !== null) return undefined;
          button.addEventListener('click', () => (button.dataset.e2eClicked = 'yes'), { once: true });
          return button;
        },
        { timeout },
        text,
      );
      const button = handle as ElementHandle<HTMLButtonElement>;
      await button.click();
      // The flag is set before the view's own handler redraws the bar, so a detached button still tells.
      const landed = await button.evaluate((b) => b.dataset.e2eClicked === 'yes');
      if (landed) return;
      if (Date.now() > deadline) throw new Error(`${this.label}: the click on "${text}" in #call-controls did not land`);
    }
  }

  /** The open dialog's whole text (so a failure shows what it said). */
  dialogText(): Promise<string> {
    return this.page.evaluate(() => (document.getElementById('modal-content') as HTMLElement).innerText);
  }

  /** Our own tracks of a kind: what the senders send, and the state of every one getUserMedia gave. */
  localTracks(kind: 'audio' | 'video'): Promise<{ sent: string[]; acquired: string[] }> {
    return this.page.evaluate((k: string) => {
      const probe = (window as unknown as ProbedWindow).__e2e;
      const open = probe.pcs.filter((pc) => pc.signalingState !== 'closed');
      return {
        sent: open.flatMap((pc) => pc.getSenders()).filter((s) => s.track?.kind === k).map((s) => `${s.track!.readyState}${s.track!.enabled ? '' : ' disabled'}`),
        acquired: probe.localStreams.flatMap((st) => st.getTracks()).filter((t) => t.kind === k).map((t) => t.readyState),
      };
    }, kind);
  }

  /** Paths of the webrtc-adapter chunks (src/browser-shims.ts) this page fetched. */
  shimChunks(): Promise<string[]> {
    return this.page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => /\/shims-[a-z]+\.[0-9a-f]+\.js$/.test(p)));
  }

  /** Open RTCPeerConnections and inbound video frames decoded, what #media-player shows. */
  media(): Promise<{ open: number; framesDecoded: number; remoteShown: boolean }> {
    return this.page.evaluate(async () => {
      const probe = (window as unknown as ProbedWindow).__e2e;
      const video = document.getElementById('media-player') as HTMLVideoElement;
      const shown = video.srcObject instanceof MediaStream ? video.srcObject.getTracks() : [];
      let open = 0;
      let framesDecoded = 0;
      let remoteShown = false;
      for (const pc of probe.pcs) {
        if (pc.signalingState === 'closed') continue;
        open += 1;
        if (pc.getReceivers().some((r) => shown.includes(r.track))) remoteShown = true;
        (await pc.getStats()).forEach((s: { type: string; kind?: string; framesDecoded?: number }) => {
          if (s.type === 'inbound-rtp' && s.kind === 'video') framesDecoded += s.framesDecoded ?? 0;
        });
      }
      return { open, framesDecoded, remoteShown };
    });
  }

  /** Waits for the other side's video shown and its frames decoded advancing. */
  async waitForRemoteVideo(timeout = WAIT_MS): Promise<void> {
    const first = await until(() => this.media(), (m) => m.remoteShown && m.framesDecoded > 0, { timeout, what: `${this.label}'s remote video` });
    await until(() => this.media(), (m) => m.framesDecoded > first.framesDecoded + 5, { timeout, what: `${this.label}'s remote frames advancing` });
  }

  /** Screenshot, console and signalling frames into `dir` (kept beside the Chromium pages' artifacts). */
  async saveArtifacts(dir: string): Promise<void> {
    mkdirSync(dir, { recursive: true });
    await this.page.screenshot({ path: join(dir, `${this.label}.png`) }).catch((e: unknown) => writeFileSync(join(dir, `${this.label}.screenshot-error.txt`), String(e)));
    writeFileSync(join(dir, `${this.label}.console.txt`), this.console.join('\n') + '\n');
    const frames = await this.page.evaluate(() => [...(window as unknown as ProbedWindow).__e2e.frames]).catch((e: unknown) => [String(e)]);
    writeFileSync(join(dir, `${this.label}.frames.txt`), frames.join('\n') + '\n');
  }
}
