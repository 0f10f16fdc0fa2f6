import { map, NEVER } from 'rxjs';
import { marbles, type Context } from 'rxjs-marbles/jest';
import type { ClientStatus } from '../../src/verto/client-types';
import { createVertoClient, DEFAULT_TIMINGS } from '../../src/verto/client';
import { b64, FakeVertoServer } from './fake-verto-server';

// Stock FreeSWITCH keeps two sockets with one login (and different sessids) both logged in; the
// pages settle it themselves through the `peerPage` field of presence. This page started at 0 with id uuid-2.
function setup(m: Context, login = 'me') {
  const server = new FakeVertoServer(m);
  let uuids = 0;
  const warnings: string[] = [];
  const client = createVertoClient(
    { url: 'ws://test/verto', channelId: 'chan-1', login, password: 'secret' },
    {
      WebSocketCtor: server.ctor,
      storage: undefined,
      random: () => 0.5,
      uuid: () => `uuid-${++uuids}`,
      logger: { debug: () => undefined, info: () => undefined, warn: (msg) => warnings.push(msg), error: () => undefined },
      online$: NEVER,
      visible$: NEVER,
      timings: DEFAULT_TIMINGS,
    },
  );
  const event = (userid: string, body: Record<string, unknown>) => () =>
    server.push(server.last, 'verto.event', { eventChannel: 'chan-1', eventData: b64(body), userid, sessid: 'their-sessid', eventSerno: 7 });
  return { server, client, warnings, event };
}

const kinds = (client: { status$: ReturnType<typeof createVertoClient>['status$'] }) => client.status$.pipe(map((s: ClientStatus) => s.kind));

// prettier-ignore
describe('verto client: two live pages with one login', () => {
  it('stops for good when a newer page of its login announces itself, and sends nothing more', marbles((m) => {
    const { server, client, event, warnings } = setup(m);
    client.publishPresence({ status: 'available', name: 'Ann' });
    client.connect();
    m.scheduler.schedule(event('me@localhost', { peerStatus: 'ready', peerPage: '50.uuid-1' }), 50);
    m.scheduler.schedule(() => client.publishPresence({ status: 'unavailable', name: 'Ann' }), 60);
    m.scheduler.schedule(() => client.send('bob', { peerAction: 'offer', callId: 'c' }), 70);
    m.scheduler.schedule(() => client.disconnect(), 100);
    m.expect(kinds(client)).toBeObservable('cl--o 45ms p 49ms |', { c: 'connecting', l: 'logging-in', o: 'online', p: 'punted' });
    m.flush();
    expect(server.log).toEqual(['0 connect', '1 login', '3 verto.subscribe', '4 verto.broadcast ready']); // no gone, no retry
    expect(server.sockets).toHaveLength(1);
    expect(server.last.closedByClient).toBeDefined();
    expect(warnings).toContain('a newer page signed in with these credentials: this one stops');
  }));

  it('re-announces itself when an older page of its login is still online, and stays online', marbles((m) => {
    const { server, client, event } = setup(m);
    client.publishPresence({ status: 'available', name: 'Ann' });
    client.connect();
    m.scheduler.schedule(event('me@localhost', { peerStatus: 'ready', peerPage: '0.uuid-0' }), 50); // same start, lower id: older
    m.scheduler.schedule(() => client.disconnect(), 100);
    m.expect(kinds(client)).toBeObservable('cl--o 95ms (x|)', { c: 'connecting', l: 'logging-in', o: 'online', x: 'closed' });
    m.flush();
    expect(server.log).toEqual(['0 connect', '1 login', '3 verto.subscribe', '4 verto.broadcast ready', '50 verto.broadcast available', '100 verto.broadcast gone']);
    const announced = server.last.sent.filter((f) => f.method === 'verto.broadcast')[1].params?.eventData;
    expect(JSON.parse(Buffer.from(String(announced), 'base64').toString('utf8'))).toEqual({ peerStatus: 'available', peerName: 'Ann', peerPage: '0.uuid-2' });
  }));

  it('ignores its own echo and a page field it cannot read, and lists no presence for its own login', marbles((m) => {
    const { server, client, event } = setup(m);
    client.connect();
    m.scheduler.schedule(event('me@localhost', { peerStatus: 'available', peerPage: '0.uuid-2' }), 20);
    m.scheduler.schedule(event('me@localhost', { peerStatus: 'available', peerPage: 'not a page' }), 21);
    m.scheduler.schedule(event('me@localhost', { peerStatus: 'available' }), 22);
    m.scheduler.schedule(event('bob@localhost', { peerStatus: 'available', peerPage: 'garbage' }), 23);
    m.scheduler.schedule(() => client.disconnect(), 30);
    m.expect(client.presence$).toBeObservable('23ms b 6ms |', { b: { from: 'bob', status: 'available' } });
    m.expect(kinds(client)).toBeObservable('cl--o 25ms (x|)', { c: 'connecting', l: 'logging-in', o: 'online', x: 'closed' });
    m.flush();
    expect(server.log.filter((l) => l.includes('broadcast'))).toEqual(['4 verto.broadcast ready', '30 verto.broadcast gone']);
  }));

  it('shows another login only as its newest page, so its name never flips', marbles((m) => {
    const { client, event } = setup(m);
    client.connect();
    m.scheduler.schedule(event('bob@localhost', { peerStatus: 'ready', peerName: 'Old Bob', peerPage: '5.a' }), 20);
    m.scheduler.schedule(event('bob@localhost', { peerStatus: 'ready', peerName: 'New Bob', peerPage: '9.b' }), 21);
    m.scheduler.schedule(event('bob@localhost', { peerStatus: 'available', peerName: 'Old Bob', peerPage: '5.a' }), 22);
    m.scheduler.schedule(event('bob@localhost', { peerStatus: 'available', peerName: 'New Bob', peerPage: '9.b' }), 23);
    m.scheduler.schedule(() => client.disconnect(), 30);
    m.expect(client.presence$.pipe(map((p) => `${p.status} ${p.name}`))).toBeObservable('20ms ab-c 6ms |', {
      a: 'ready Old Bob', b: 'ready New Bob', c: 'available New Bob',
    });
  }));

  it('sends the login as configured and still knows itself by the id part', marbles((m) => {
    const { server, client, event } = setup(m, 'me@pbx.test');
    client.connect();
    m.scheduler.schedule(event('me@pbx.test', { peerStatus: 'available', peerPage: '0.uuid-2' }), 20); // our echo
    m.scheduler.schedule(() => server.push(server.last, 'verto.info', { msg: { from: 'bob@pbx.test', to: 'me@pbx.test', body: b64({ peerAction: 'accept', callId: 'c' }) } }), 21);
    m.scheduler.schedule(() => client.disconnect(), 30);
    m.expect(client.presence$).toBeObservable('30ms |');
    m.expect(client.peerMessages$).toBeObservable('21ms a 8ms |', { a: { from: 'bob', message: { peerAction: 'accept', callId: 'c' } } });
    m.flush();
    expect(server.sockets[0].sent[0].params).toEqual({ login: 'me@pbx.test', passwd: 'secret', sessid: 'uuid-1' });
  }));
});
