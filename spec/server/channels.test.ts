import type { RunningServer } from '../../server/server';
import { A, B, C1, C2, fixtureStore, X } from './support/fixture-users';
import { loggedIn, startTestServer, subscribed } from './support/start';

describe('subscribe and broadcast (fixtures 03, 04)', () => {
  let server: RunningServer;
  beforeEach(async () => {
    server = await startTestServer({ store: fixtureStore() });
  });
  afterEach(() => server.close());

  it('answers subscribe with the exact success, already-subscribed, unauthorized and malformed shapes', async () => {
    const a = await loggedIn(server, A.id, A.password, 'sa');
    expect((await a.call('verto.subscribe', { eventChannel: C1 })).result).toEqual({ subscribedChannels: [C1], sessid: 'sa' });
    expect((await a.call('verto.subscribe', { eventChannel: C1 })).result).toEqual({ subscribedChannels: [], alreadySubscribedChannels: [C1], sessid: 'sa' });
    expect(await a.call('verto.subscribe', { eventChannel: C2 })).toEqual({ jsonrpc: '2.0', id: expect.any(String), error: { unauthorizedChannels: [C2] } });
    expect((await a.call('verto.subscribe', { eventChannel: [C1, C2] })).result).toEqual({
      subscribedChannels: [],
      unauthorizedChannels: [C2],
      alreadySubscribedChannels: [C1],
      sessid: 'sa',
    });
    expect((await a.call('verto.subscribe', undefined)).error).toEqual({});
    expect((await a.call('verto.subscribe', { eventChannel: 42 })).error).toEqual({});
    expect((await a.call('verto.unsubscribe', { eventChannel: C1 })).result).toEqual({ unsubscribedChannels: [C1], sessid: 'sa' });
    expect((await a.call('verto.unsubscribe', { eventChannel: C1 })).error).toEqual({ notSubscribedChannels: [C1] });
    await a.close();
  });

  it('isolates channels: a client of channel A can neither subscribe to, broadcast to, nor message channel B', async () => {
    const a = await subscribed(server, A.id, A.password, C1);
    const x = await subscribed(server, X.id, X.password, C2);
    expect((await a.call('verto.subscribe', { eventChannel: C2 })).error).toEqual({ unauthorizedChannels: [C2] });
    expect((await a.call('verto.subscribe', { eventChannel: `${C2}.sub` })).error).toEqual({ unauthorizedChannels: [`${C2}.sub`] });
    expect((await a.call('verto.broadcast', { eventChannel: C2, localBroadcast: true, eventData: 'aW4=' })).result).toEqual({
      message: 'Permission Denied.',
      code: -32002,
      sessid: expect.any(String),
    });
    const dropped = new Promise((resolve) => server.events.once('relay-dropped', resolve));
    expect((await a.call('verto.info', { msg: { to: X.id, body: 'aGk=' } })).result.message).toBe('SENT');
    expect(await dropped).toEqual({ from: `${A.id}@localhost`, to: X.id, reason: 'no shared channel' });
    expect(await x.quietFor(60)).toEqual([]);
    await Promise.all([a.close(), x.close()]);
  });

  it('copies a localBroadcast to every subscriber of the exact channel, sender included, with userid, sessid, eventSerno and subscribedChannel', async () => {
    const a = await subscribed(server, A.id, A.password, C1);
    const b = await subscribed(server, B.id, B.password, C1);
    const sent = { eventChannel: C1, localBroadcast: true, eventData: 'cmVhZHk=', userid: 'forged@x', eventSerno: 99 };
    const answer = await a.call('verto.broadcast', sent);
    expect(Object.keys(answer.result)).toEqual(['sessid']);
    const expected = {
      eventChannel: C1,
      localBroadcast: true,
      eventData: 'cmVhZHk=',
      userid: `${A.id}@localhost`,
      sessid: answer.result.sessid,
      eventSerno: 0,
      subscribedChannel: C1,
    };
    expect((await b.request('verto.event')).params).toEqual(expected);
    expect((await a.request('verto.event')).params).toEqual(expected);
    await a.call('verto.broadcast', { ...sent, eventData: 'Mg==' });
    expect((await b.request('verto.event')).params.eventSerno).toBe(1);
    await Promise.all([a.close(), b.close()]);
  });

  it('delivers a broadcast without localBroadcast to no verto client, and reports a missing channel inside result', async () => {
    const a = await subscribed(server, A.id, A.password, C1);
    const b = await subscribed(server, B.id, B.password, C1);
    expect(Object.keys((await a.call('verto.broadcast', { eventChannel: C1, eventData: 'eA==' })).result)).toEqual(['sessid']);
    expect((await a.call('verto.broadcast', { data: 1 })).result).toMatchObject({ message: 'eventChannel not specified.', code: -32002 });
    expect(await b.quietFor(60)).toEqual([]);
    await Promise.all([a.close(), b.close()]);
  });

  it('lets subscriptions die with the connection', async () => {
    const a = await subscribed(server, A.id, A.password, C1);
    const b = await subscribed(server, B.id, B.password, C1);
    await b.close();
    await a.call('verto.broadcast', { eventChannel: C1, localBroadcast: true, eventData: 'eA==' });
    expect((await a.request('verto.event')).params.eventSerno).toBe(0);
    const again = await loggedIn(server, B.id, B.password);
    expect((await again.call('verto.subscribe', { eventChannel: C1 })).result.subscribedChannels).toEqual([C1]);
    await Promise.all([a.close(), again.close()]);
  });
});
