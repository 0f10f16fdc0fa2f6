import { request } from 'node:http';
import type { RunningServer } from '../../server/server';
import { startTestServer } from './support/start';
import { Loose, TestClient } from './support/test-client';

const get = (url: string): Promise<{ location?: string; body: string }> =>
  new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ location: res.headers.location, body: Buffer.concat(chunks).toString('utf8') }));
    })
      .on('error', reject)
      .end();
  });

const presence = (status: string): string => Buffer.from(JSON.stringify({ peerStatus: status, peerName: 'Tab' })).toString('base64');

describe('two tabs on one channel URL (the npm start story, over real sockets)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    // Default mod_verto delays, as `npm start` runs.
    server = await startTestServer({ timing: undefined, relay: undefined });
  });
  afterAll(() => server.close());

  it('each tab logs in with its issued config, subscribes on clientReady and sees the other’s presence', async () => {
    const channelPath = (await get(`${server.url}/`)).location ?? '';
    const tabs = await Promise.all(
      [1, 2].map(async () => {
        const page = await get(`${server.url}${channelPath}`);
        const config = JSON.parse(/<script id="channel-config" type="application\/json">(.*?)<\/script>/s.exec(page.body)?.[1] ?? '');
        const socket = await TestClient.open(new URL(config.vertoUrl, `${server.url}${channelPath}`).toString().replace(/^http/, 'ws'));
        expect((await socket.call('login', { login: config.login, passwd: config.password })).result.message).toBe('logged in');
        await socket.request('verto.clientReady');
        expect((await socket.call('verto.subscribe', { eventChannel: config.channelId })).result.subscribedChannels).toEqual([config.channelId]);
        return { socket, config };
      }),
    );
    for (const { socket, config } of tabs) {
      await socket.call('verto.broadcast', { eventChannel: config.channelId, localBroadcast: true, eventData: presence('ready') });
    }
    for (const [index, { socket }] of tabs.entries()) {
      const other = tabs[1 - index].config.login;
      const event = await socket.next((f: Loose) => f.method === 'verto.event' && f.params.userid === other);
      expect(JSON.parse(Buffer.from((event as Loose).params.eventData, 'base64').toString())).toEqual({ peerStatus: 'ready', peerName: 'Tab' });
    }
    await Promise.all(tabs.map(({ socket }) => socket.close()));
  });

  it('refuses verto.invite from a page’s issued credentials with mod_verto’s error for a method not granted', async () => {
    const channelPath = (await get(`${server.url}/`)).location ?? '';
    const page = await get(`${server.url}${channelPath}`);
    const config = JSON.parse(/<script id="channel-config" type="application\/json">(.*?)<\/script>/s.exec(page.body)?.[1] ?? '');
    const socket = await TestClient.open(server.vertoUrl);
    await socket.call('login', { login: config.login, passwd: config.password });
    const invite = { dialogParams: { callID: '6c7e9f4e-0d55-4a8e-9d3b-2b8a4b7c1d00', destination_number: '9196', caller_id_name: 'x' }, sdp: 'v=0\r\n' };
    expect(await socket.call('verto.invite', invite, 'invite-1')).toEqual({
      jsonrpc: '2.0',
      id: 'invite-1',
      error: { code: -32601, message: 'Invalid Method, Missing Method or Permission Denied' },
    });
    // verto.* methods the client does not use are refused too; those it uses still work on that socket.
    expect((await socket.call('verto.unsubscribe', { eventChannel: config.channelId })).error).toEqual({ code: -32601, message: 'Invalid Method, Missing Method or Permission Denied' });
    expect((await socket.call('verto.ping', {})).result.message).toBe('PONG');
    await socket.close();
  });
});
