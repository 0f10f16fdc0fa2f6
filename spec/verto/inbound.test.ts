import { readPeerMessage, readPresence, readPresenceEvent } from '../../src/verto/inbound';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64');

describe('readPresence', () => {
  it('passes the name on as sent (the Peer applies the display-name rule) and drops a name that is not text', () => {
    expect(readPresence({ peerStatus: 'ready', peerName: ' \u202eAnn ' })).toEqual({ ok: true, value: { status: 'ready', name: ' \u202eAnn ' } });
    expect(readPresence({ peerStatus: 'gone', peerName: 42 })).toEqual({ ok: true, value: { status: 'gone' } });
  });

  it.each([['busy'], [7], [null], [undefined]])('refuses the status %j', (peerStatus) => {
    expect(readPresence(peerStatus === undefined ? {} : { peerStatus })).toEqual({ ok: false, error: 'no valid peerStatus' });
  });
});

describe('readPresenceEvent', () => {
  const event = (over: Record<string, unknown>) => ({ eventChannel: 'c1', userid: 'a@localhost', eventData: b64({ peerStatus: 'ready', peerName: 'Ann' }), ...over });

  it('takes the sender from the server-set userid, not the payload', () => {
    expect(readPresenceEvent(event({ eventData: b64({ peerStatus: 'available', userid: 'forged' }) }), 'c1')).toEqual({ ok: true, value: { from: 'a', status: 'available' } });
  });

  it.each([
    ['another channel', { eventChannel: 'c2' }],
    ['no userid', { userid: undefined }],
    ['no eventData', { eventData: undefined }],
    ['bad base64', { eventData: '%%%' }],
    ['an unknown status', { eventData: b64({ peerStatus: 'busy' }) }],
  ])('refuses %s', (_name, over) => {
    expect(readPresenceEvent(event(over), 'c1').ok).toBe(false);
  });
});

describe('readPeerMessage', () => {
  it('refuses msgs without string fields', () => {
    expect(readPeerMessage({ msg: { from: 'a', to: 'me' } }, 'me').ok).toBe(false);
    expect(readPeerMessage({}, 'me').ok).toBe(false);
    expect(readPeerMessage({ msg: { from: '@x', to: 'me', body: b64({}) } }, 'me').ok).toBe(false);
  });
});
