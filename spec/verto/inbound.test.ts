import { cleanName, readPeerMessage, readPresenceEvent } from '../../src/verto/inbound';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8').toString('base64');

describe('cleanName', () => {
  it.each([
    ['  Ann  ', 'Ann'],
    ['Zoë 👋', 'Zoë 👋'],
    ['a\u0000b\u001fc\u007f\u2028d', 'abcd'],
    ['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'], // kept literal; the View renders text only
    ['x'.repeat(40), 'x'.repeat(32)],
    ['👋'.repeat(40), '👋'.repeat(32)], // counted in characters, never split inside a surrogate pair
  ])('cleans %j', (raw, clean) => {
    expect(cleanName(raw)).toBe(clean);
  });

  it.each([[''], ['   '], ['\u0000'], [42], [null], [undefined]])('has no name for %j', (raw) => {
    expect(cleanName(raw)).toBeUndefined();
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
