import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../e2e/support/chromium';
import type { CredentialStore } from '../server/credential-store';
import { RestartableServer } from '../e2e/support/restartable-server';
import { silentLogger } from '../server/logger';
import type { RunningServer } from '../server/server';
import { installBenchProbe, type BenchProbe } from './probe';

/** Every wait in a benchmark is bounded; a run that hits this counts as failed, never hangs the suite. */
export const WAIT_MS = 20_000;
const NAME_KEY = 'verto-peer.name';

type ProbedWindow = Window & { readonly __bench: BenchProbe };

/** The bare login in the page's #channel-config. */
async function readLogin(page: Page): Promise<string> {
  const login = await page.evaluate(() => (JSON.parse(document.getElementById('channel-config')?.textContent ?? '{}') as { login?: string }).login ?? '');
  return login.split('@')[0];
}

/** One browser and one development server (restartable on the same port with the same store). */
export class BenchEnv {
  private readonly restartable = new RestartableServer({ logger: silentLogger });

  private constructor(readonly browser: Browser) {}

  static async start(): Promise<BenchEnv> {
    const env = new BenchEnv(await launchChromium());
    await env.startServer();
    return env;
  }

  get store(): CredentialStore {
    return this.restartable.store;
  }

  /** The running server, or null while it is stopped. */
  get serverOrNull(): RunningServer | null {
    return this.restartable.server;
  }

  get server(): RunningServer {
    const server = this.restartable.server;
    if (server === null) throw new Error('the development server is not running');
    return server;
  }

  /** Starts the server on its previous port (ephemeral the first time), keeping channels and clients. */
  startServer(): Promise<RunningServer> {
    return this.restartable.start();
  }

  stopServer(): Promise<void> {
    return this.restartable.stop();
  }

  /**
   * Opens the channel page for one person in a fresh context (cold cache, own localStorage), from `origin`:
   * the main server by default, or anything serving it (another server, the reconnect benchmark's front).
   */
  async open(name: string, channelId: string, origin: { readonly url: string } = this.server): Promise<BenchClient> {
    const url = `${origin.url}/c/${channelId}`;
    const context = await this.browser.newContext({
      // Wide enough for Picnic's inline menu (narrower windows fold it behind the burger).
      viewport: { width: 1024, height: 768 },
      storageState: { cookies: [], origins: [{ origin: new URL(url).origin, localStorage: [{ name: NAME_KEY, value: name }] }] },
    });
    await context.addInitScript(installBenchProbe);
    const page = await context.newPage();
    await page.goto(url);
    return new BenchClient(name, context, page, await readLogin(page));
  }

  async stop(): Promise<void> {
    await this.stopServer().catch(() => undefined);
    await this.browser.close();
  }
}

/** One person's page, driven like a person would (menu buttons, dialog buttons), read through the probe. */
export class BenchClient {
  private cdpSession: CDPSession | null = null;

  constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
    private issuedLogin: string,
  ) {}

  /** The bare verto login the page was issued (a reload issues a new one). */
  get login(): string {
    return this.issuedLogin;
  }

  /** Reloads the page (a new issued client, a fresh probe): how a failed run gets back to a known state. */
  async reload(): Promise<void> {
    await this.page.reload({ timeout: WAIT_MS });
    this.issuedLogin = await readLogin(this.page);
  }

  /** Reads the probe. */
  probe<T>(read: (probe: BenchProbe) => T): Promise<T> {
    return this.page.evaluate<T>(`(${read.toString()})(window.__bench)`);
  }

  resetProbe(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as ProbedWindow).__bench.reset());
  }

  /**
   * Waits (in the page, polling every 20 ms) until `predicate(probe, arg)` holds; `arg` must be JSON.
   * A promise evaluated through the DevTools protocol: waitForFunction would need `eval`, which the
   * page's Content-Security-Policy forbids.
   */
  async until<A = null>(predicate: (probe: BenchProbe, arg: A) => boolean, what: string, timeout = WAIT_MS, arg: A | null = null): Promise<void> {
    const expression = `new Promise((resolve, reject) => {
      const predicate = ${predicate.toString()};
      const deadline = Date.now() + ${timeout};
      const tick = () => {
        try {
          if (predicate(window.__bench, ${JSON.stringify(arg)})) return resolve(true);
        } catch (error) {
          return reject(error);
        }
        if (Date.now() > deadline) return resolve(false);
        setTimeout(tick, 20);
      };
      tick();
    })`;
    const held = await this.page.evaluate<boolean>(expression);
    if (!held) throw new Error(`${this.name}: waited ${timeout} ms for ${what}`);
  }

  /** Waits until a `Call <name>` button is in the menu (the peer is present and available). */
  async waitForPeer(name: string, timeout = WAIT_MS): Promise<void> {
    await this.page
      .locator('#nav-menu')
      .getByRole('button', { name: `Call ${name}`, exact: true })
      .waitFor({ state: 'visible', timeout })
      .catch((error: unknown) => {
        throw new Error(`${this.name}: no "Call ${name}" within ${timeout} ms (${String(error).split('\n')[0]})`, { cause: error });
      });
  }

  async waitForIncoming(from: string, timeout = WAIT_MS): Promise<void> {
    await this.page.locator('#modal-content h3', { hasText: `${from} is calling` }).waitFor({ state: 'visible', timeout });
  }

  async clickMenu(label: string): Promise<void> {
    // The navbar hides itself during a call until the mouse moves (as a person would).
    await this.page.mouse.move(100 + Math.random() * 100, 100 + Math.random() * 100);
    await this.page.locator('#nav-menu').getByRole('button', { name: label, exact: true }).click({ timeout: WAIT_MS });
  }

  async accept(): Promise<void> {
    await this.page.locator('#modal-content').getByRole('button', { name: 'Accept', exact: true }).click({ timeout: WAIT_MS });
  }

  /** Waits until the page holds no live track and no RTCPeerConnection that is not closed; false on timeout. */
  async settlesIdle(timeout: number): Promise<boolean> {
    return this.until((p) => p.liveTracks() === 0 && p.openPeerConnections() === 0, 'no live track, no open RTCPeerConnection', timeout).then(
      () => true,
      () => false,
    );
  }

  async cdp(): Promise<CDPSession> {
    this.cdpSession ??= await this.context.newCDPSession(this.page);
    return this.cdpSession;
  }

  /** Leaves like a person closing the tab (pagehide publishes `gone`), then drops the context. */
  async close(): Promise<void> {
    await this.page.goto('about:blank', { timeout: 5_000 }).catch(() => undefined);
    await this.context.close().catch(() => undefined);
  }
}

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A minimal page on the server's origin (a secure context for getUserMedia) without the bundle. */
export async function blankPageOnOrigin(env: BenchEnv, context: BrowserContext): Promise<Page> {
  const url = `${env.server.url}/bench-blank`;
  await context.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>floor</title><body></body>' }));
  const page = await context.newPage();
  await page.goto(url);
  return page;
}
