import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { WebSocket } from 'ws';
import { startTestServer } from './support/start';

/** A WebSocket client that completes the upgrade and then never answers anything (not even the close frame). */
function silentClient(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      const key = randomBytes(16).toString('base64');
      socket.write(`GET /verto HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    socket.once('data', (chunk: Buffer) => (chunk.toString().startsWith('HTTP/1.1 101') ? resolve(socket) : reject(new Error(chunk.toString()))));
    socket.once('error', reject);
  });
}

/**
 * A page retries at once when its socket drops (backoff step 0). A retry accepted during close()
 * used to make close() wait forever for it (found by `npm run bench`, reconnect benchmark: 20
 * restarts with two pages). A client that never answers a close frame must not hold close() up either.
 */
describe('server close while a client reconnects at once', () => {
  it('refuses new connections during close and still resolves', async () => {
    const server = await startTestServer();
    const slow = await silentClient(server.port);
    const eager = new WebSocket(server.vertoUrl);
    await new Promise<void>((resolve, reject) => {
      eager.once('open', () => resolve());
      eager.once('error', reject);
    });
    let again: WebSocket | undefined;
    const retry = new Promise<string>((resolve) => {
      eager.once('close', () => {
        again = new WebSocket(server.vertoUrl);
        // Accepted, it stays open like a page that logs in again.
        again.once('open', () => resolve('accepted'));
        again.once('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
        again.once('error', (error) => resolve(`error ${error.message}`));
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      server.close().then(() => 'closed'),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('still closing after 5 s'), 5_000);
      }),
    ]);
    clearTimeout(timer);
    slow.destroy();
    again?.terminate();
    expect(outcome).toBe('closed');
    // The port is closed before the sockets drop; an upgrade already under way would get 503.
    expect(await retry).toMatch(/^(error connect ECONNREFUSED|refused 503)/);
  }, 10_000);
});
