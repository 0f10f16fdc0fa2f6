import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page, Response } from 'playwright-core';
import type { CredentialStore } from '../../server/credential-store';
import type { Logger } from '../../server/logger';
import type { RunningServer, ServerOptions } from '../../server/server';
import { ROOT, requireBundle } from './bundle';
import { launchChromium } from './chromium';
import { installProbe } from './instrument';
import { RestartableServer } from './restartable-server';
import { PeerPage, WAIT_MS } from './peer-page';

export const ARTIFACTS_DIR = join(ROOT, 'e2e', 'artifacts');
const NAME_KEY = 'verto-peer.name';

/** One page of one person: its own browser context (own localStorage), the console it printed. */
export interface Client {
  readonly peer: PeerPage;
  readonly page: Page;
  readonly context: BrowserContext;
  readonly console: readonly string[];
  /** The response to the page load (null for routed pages that never loaded). */
  readonly response: Response | null;
}

export interface ClientOptions {
  /** Display name put in localStorage before the page loads. */
  readonly name?: string;
  /** Page to open; default: the test's channel. */
  readonly url?: string;
  /** Another browser (e.g. launched without the fake camera). */
  readonly browser?: Browser;
  /** Open as another tab of this client's context (same localStorage). */
  readonly sameContextAs?: Client;
  readonly context?: BrowserContextOptions;
  /** Register routes (e.g. a page rendered elsewhere) before the first navigation. */
  readonly routes?: (context: BrowserContext) => Promise<unknown>;
}

const slug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);

/** The server's log kept in memory, written next to the screenshots. */
class MemoryLogger implements Logger {
  lines: string[] = [];
  info(line: string): void {
    this.lines.push(`${new Date().toISOString()} ${line}`);
  }
  debug(line: string): void {
    this.info(line);
  }
}

/** One browser and one development server per test file; the server can be stopped and started again. */
export class Suite {
  browser!: Browser;
  readonly log = new MemoryLogger();
  private readonly restartable: RestartableServer;

  constructor(serverOptions: ServerOptions = {}) {
    this.restartable = new RestartableServer({ ...serverOptions, logger: this.log });
  }

  get server(): RunningServer | null {
    return this.restartable.server;
  }

  get store(): CredentialStore {
    return this.restartable.store;
  }

  async start(): Promise<void> {
    requireBundle();
    this.browser = await launchChromium();
    await this.startServer();
  }

  /** Starts the server on its previous port (an ephemeral one the first time), with the same store. */
  startServer(): Promise<RunningServer> {
    return this.restartable.start();
  }

  async stopServer(): Promise<void> {
    this.log.info('[e2e] stopping the server');
    await this.restartable.stop();
    this.log.info('[e2e] server stopped');
  }

  get running(): RunningServer {
    if (this.server === null) throw new Error('the development server is not running');
    return this.server;
  }

  async stop(): Promise<void> {
    await this.stopServer();
    await this.browser?.close();
  }
}

/** One test: the clients it opened, screenshotted and closed at the end. */
export class TestRun {
  readonly clients = new Map<string, Client>();
  readonly channelUrl: string;
  readonly channelId: string;
  private readonly contexts: BrowserContext[] = [];
  private readonly logStart: number;

  constructor(
    readonly suite: Suite,
    readonly name: string,
  ) {
    this.channelId = suite.store.createChannel();
    this.channelUrl = `${suite.running.url}/c/${this.channelId}`;
    this.logStart = suite.log.lines.length;
  }

  get artifacts(): string {
    return join(ARTIFACTS_DIR, slug(this.name));
  }

  /** Opens the channel page (or `options.url`) for one person, labelled for screenshots and errors. */
  async open(label: string, options: ClientOptions = {}): Promise<Client> {
    const url = options.url ?? this.channelUrl;
    let context = options.sameContextAs?.context;
    if (context === undefined) {
      const origin = new URL(url).origin;
      context = await (options.browser ?? this.suite.browser).newContext({
        // Wider than Picnic's 60em breakpoint, so #nav-menu shows inline rather than behind the burger.
        viewport: { width: 1280, height: 720 },
        storageState: { cookies: [], origins: options.name ? [{ origin, localStorage: [{ name: NAME_KEY, value: options.name }] }] : [] },
        ...options.context,
      });
      await context.addInitScript(installProbe);
      this.contexts.push(context);
    }
    await options.routes?.(context);
    const page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    const lines: string[] = [];
    page.on('console', (m) => lines.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => lines.push(`pageerror: ${e.message}`));
    const response = await page.goto(url);
    const client: Client = { peer: new PeerPage(page, label), page, context, console: lines, response };
    this.clients.set(label, client);
    return client;
  }

  /** Screenshots of every page, their consoles and the server log into e2e/artifacts/<test>/; closes the contexts. */
  async finish(): Promise<string> {
    const dir = this.artifacts;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const [label, client] of this.clients) {
      if (client.page.isClosed()) continue;
      await client.page.screenshot({ path: join(dir, `${slug(label)}.png`), timeout: 10_000 }).catch((e: unknown) => {
        writeFileSync(join(dir, `${slug(label)}.screenshot-error.txt`), String(e));
      });
      writeFileSync(join(dir, `${slug(label)}.console.txt`), client.console.join('\n') + '\n');
      const frames = await client.peer.frames().catch((e: unknown) => [String(e)]);
      writeFileSync(join(dir, `${slug(label)}.frames.txt`), frames.join('\n') + '\n');
      const diagnostics = await client.peer.diagnostics().catch((e: unknown) => String(e));
      writeFileSync(join(dir, `${slug(label)}.rtc.json`), JSON.stringify(diagnostics, null, 2) + '\n');
    }
    writeFileSync(join(dir, 'server.log'), this.suite.log.lines.slice(this.logStart).join('\n') + '\n');
    await Promise.all(this.contexts.map((c) => c.close().catch(() => undefined)));
    return dir;
  }
}

/**
 * Registers a browser + server for this file and returns `scenario`, which declares one test that gets a
 * TestRun, and always leaves screenshots of both pages behind; a failure names the artifacts folder.
 */
export function useSuite(serverOptions: ServerOptions = {}): { suite: Suite; scenario: (name: string, body: (run: TestRun) => Promise<void>, timeout?: number) => void } {
  const suite = new Suite(serverOptions);
  beforeAll(() => suite.start(), 60_000);
  afterAll(() => suite.stop(), 30_000);
  const scenario = (name: string, body: (run: TestRun) => Promise<void>, timeout?: number): void => {
    test(
      name,
      async () => {
        if (suite.server === null) await suite.startServer(); // a previous test failed while it was down
        const run = new TestRun(suite, name);
        let failure: unknown = null;
        try {
          await body(run);
        } catch (error) {
          failure = error;
        }
        const dir = await run.finish();
        if (failure !== null) {
          const message = failure instanceof Error ? failure.message : JSON.stringify(failure);
          const error = new Error(`${message}\n    artifacts (screenshots, consoles, server log): ${dir}`);
          if (failure instanceof Error) error.stack = `${error.message}\n${failure.stack?.split('\n').slice(1).join('\n') ?? ''}`;
          throw error;
        }
      },
      timeout,
    );
  };
  return { suite, scenario };
}
