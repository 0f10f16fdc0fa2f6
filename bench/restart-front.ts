import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP front on its own loopback port, piping every connection to the development server, that the
 * reconnect benchmark takes down the way FreeSWITCH goes down: every socket dropped at once without a
 * WebSocket close frame (the page sees 1006), then the port closed (connections refused) until it
 * listens again. Pages are opened through it, so their page URL and `/verto` both go through the front.
 */
export class RestartFront {
  private listener: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private port = 0;
  /** Wall times of the connections accepted since the last `listen()`. */
  accepted: number[] = [];

  /** `backendPort` is read per connection: the server behind may restart (undefined while it is down). */
  constructor(private readonly backendPort: () => number | undefined) {}

  /** http://127.0.0.1:port: the origin pages are opened on. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Listens on the front's port (an ephemeral one the first time, the same one afterwards). */
  async listen(): Promise<void> {
    if (this.listener !== null) throw new Error('the front is already listening');
    const listener = createServer((client) => this.pipe(client));
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(this.port, '127.0.0.1', () => {
        listener.off('error', reject);
        resolve();
      });
    });
    this.port = (listener.address() as { port: number }).port;
    this.listener = listener;
    this.accepted = [];
  }

  /** Drops every connection (no close frame: the TCP sockets are destroyed) and closes the port. */
  async drop(): Promise<void> {
    const listener = this.listener;
    this.listener = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (listener !== null) await new Promise<void>((resolve) => listener.close(() => resolve()));
  }

  private pipe(client: Socket): void {
    this.accepted.push(Date.now());
    const port = this.backendPort();
    if (port === undefined) {
      client.destroy();
      return;
    }
    const upstream = connect(port, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      // One side gone, the other goes too; errors (reset by the peer, refused) end the pair, nothing more.
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
