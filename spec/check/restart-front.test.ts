import { WebSocket } from 'ws';
import { RestartFront } from '../../bench/restart-front';
import type { RunningServer } from '../../server/server';
import { startTestServer } from '../server/support/start';

/** The reconnect benchmark's front must go down as FreeSWITCH does: sockets dropped (1006), then the port refused. */
let server: RunningServer;
let front: RestartFront;

beforeEach(async () => {
  server = await startTestServer();
  front = new RestartFront(() => server.port);
  await front.listen();
});
afterEach(async () => {
  await front.drop();
  await server.close();
});

const vertoUrl = (): string => `${front.url.replace('http', 'ws')}/verto`;

function open(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The reply to one request through the front: proof that frames pass both ways. */
function ping(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => {
    ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString('utf8'))));
    ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'p-1', method: 'verto.ping', params: {} }));
  });
}

test('frames pass through; a drop closes the socket without a close frame (1006) and the port refuses until it listens again', async () => {
  const ws = await open(vertoUrl());
  expect(await ping(ws)).toEqual({ jsonrpc: '2.0', id: 'p-1', error: { code: -32000, message: 'Authentication Required' } });
  expect(front.accepted).toHaveLength(1);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

  const url = vertoUrl();
  await front.drop();
  expect(await closed).toBe(1006);
  await expect(open(url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

  await front.listen();
  expect(vertoUrl()).toBe(url);
  expect(front.accepted).toEqual([]);
  const again = await open(url);
  expect(await ping(again)).toMatchObject({ id: 'p-1' });
  again.close();
});

test('with no server behind it, a connection is closed at once instead of failing the process', async () => {
  const stopped = new RestartFront(() => undefined);
  await stopped.listen();
  try {
    const outcome = await open(`${stopped.url.replace('http', 'ws')}/verto`).then(
      () => 'opened',
      (error: Error & { code?: string }) => error.code ?? error.message,
    );
    expect(outcome).not.toBe('opened');
  } finally {
    await stopped.drop();
  }
});
