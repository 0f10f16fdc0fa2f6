import { CredentialStore } from '../../server/credential-store';
import { startServer, type RunningServer, type ServerOptions } from '../../server/server';

/**
 * The development server as the browser suites use it: restartable on the same port with the same
 * store (pages keep their config across a restart), and a stop that is bounded, so a close that never
 * finishes fails a test or a benchmark run instead of hanging it.
 */
export class RestartableServer {
  readonly store = new CredentialStore();
  private current: RunningServer | null = null;
  private port = 0;

  constructor(
    private readonly options: ServerOptions = {},
    private readonly closeTimeoutMs = 10_000,
  ) {}

  /** The running server, or null while it is stopped. */
  get server(): RunningServer | null {
    return this.current;
  }

  /** Starts the server on its previous port (an ephemeral one the first time). */
  async start(): Promise<RunningServer> {
    this.current = await startServer({ ...this.options, port: this.port, store: this.store });
    this.port = this.current.port;
    return this.current;
  }

  async stop(): Promise<void> {
    const server = this.current;
    this.current = null;
    if (server === null) return;
    let timer: NodeJS.Timeout | undefined;
    const stuck = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the development server did not close within ${this.closeTimeoutMs} ms`)), this.closeTimeoutMs);
    });
    try {
      await Promise.race([server.close(), stuck]);
    } finally {
      clearTimeout(timer);
    }
  }
}
